// docker-compose.yml, monitoring/prometheus.yml and the Kubernetes manifests of a bundle: the
// model service locked down by default (loopback port, read-only root, no capabilities,
// non-root numeric user), with the log on a tmpfs / emptyDir since the root is read-only.
// Emitted with the yaml library in YAML 1.1 quoting, so words such as "no" or "on" stay strings
// for Kubernetes' YAML 1.1 reader too.

import { Document } from 'yaml';
import { AppError } from '../../../shared/errors.js';
import { APP_NAME } from '../version.js';
import { SERVICE_PORT } from './dockerfile.js';
import { BUNDLE_FILES } from './layout.js';

/** The port the serving app listens on inside the container (the Dockerfile's EXPOSE). */
export const CONTAINER_PORT = SERVICE_PORT;

/** Environment variables the serving app reads (resources/serving/server.py, Settings.from_env). */
export const SERVING_ENV = {
  port: 'PORT',
  /** Path of the JSON Lines prediction log. */
  predictionLog: 'GREENHOUSE_PREDICTION_LOG',
  /** Fraction of predictions logged, 0 … 1. */
  predictionLogSampling: 'GREENHOUSE_LOG_SAMPLE',
} as const;

/** Writable places in an otherwise read-only container. */
export const LOG_DIR = '/var/log/greenhouse';
export const PREDICTION_LOG = `${LOG_DIR}/predictions.jsonl`;

export const DEFAULT_RESOURCES = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
} as const;

export const DEFAULT_PROMETHEUS_IMAGE = 'prom/prometheus:v2.55.1';

export interface DeployInput {
  /** The bundle's (model's) name and version. */
  name: string;
  version: number;
  /** The image to run, e.g. greenhouse/churn:3. */
  imageTag: string;
  /** The numeric uid the image's USER runs as; must not be 0 (runAsNonRoot). */
  imageUid: number;
  /** Its numeric gid; defaults to the uid. */
  imageGid?: number;
  /** Compose: the host port and the address it is published on (default 127.0.0.1:8080). */
  hostPort?: number;
  publishAddress?: string;
  /** Fraction of predictions written to the prediction log (default 1). */
  predictionLogSampling?: number;
  /** Kubernetes resource requests and limits; each value defaults to DEFAULT_RESOURCES. */
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
  /** Kubernetes namespace; omitted (kubectl's current one) by default. */
  namespace?: string;
  /** Compose: add a Prometheus service under the `monitoring` profile (default true). */
  monitoring?: boolean;
  prometheusImage?: string;
}

const invalid = (message: string, remedy: string) => new AppError('INVALID_INPUT', message, { remedy });

/** A DNS-1123 label (Kubernetes object names, label values): lower case, digits and "-", at most 63. */
export function dnsLabel(raw: string): string {
  const label = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return label || 'model';
}

const CPU = /^(\d+(\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;
const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

function quantity(kind: 'cpu' | 'memory', value: string, where: string): number {
  const m = (kind === 'cpu' ? CPU : MEMORY).exec(value);
  if (!m) {
    throw invalid(`The ${where} ${kind} ${JSON.stringify(value)} is not a Kubernetes quantity.`,
      kind === 'cpu' ? 'Give CPU as cores ("1", "0.5") or millicores ("250m").' : 'Give memory with a unit, e.g. "512Mi" or "2Gi".');
  }
  const n = Number(m[1]);
  return kind === 'cpu' ? (m[3] === 'm' ? n / 1000 : n) : n * (MEMORY_UNITS[m[3] ?? ''] ?? 1);
}

function resolve(input: DeployInput) {
  if (!Number.isInteger(input.imageUid) || input.imageUid <= 0) {
    throw invalid(`The image runs as uid ${input.imageUid}; the deployment files require a non-root numeric user.`,
      'Build the image with a numeric non-root USER (the bundle\'s Dockerfile does), and pass that uid.');
  }
  const gid = input.imageGid ?? input.imageUid;
  if (!Number.isInteger(gid) || gid < 0) throw invalid(`The gid ${gid} is not a valid group id.`, 'Pass the numeric group id of the image\'s user.');
  const hostPort = input.hostPort ?? CONTAINER_PORT;
  if (!Number.isInteger(hostPort) || hostPort < 1 || hostPort > 65535) throw invalid(`The port ${hostPort} is not a TCP port.`, 'Pick a port between 1 and 65535.');
  const sampling = input.predictionLogSampling ?? 1;
  if (!(sampling >= 0 && sampling <= 1)) throw invalid(`The prediction log sampling ${sampling} is not between 0 and 1.`, 'Give a fraction: 1 logs every prediction, 0.1 one in ten, 0 none.');
  if (!input.imageTag.trim() || /\s/.test(input.imageTag)) throw invalid(`The image tag ${JSON.stringify(input.imageTag)} is not valid.`, 'Build the image first; its tag looks like greenhouse/NAME:VERSION.');
  const resources = {
    requests: { ...DEFAULT_RESOURCES.requests, ...input.resources?.requests },
    limits: { ...DEFAULT_RESOURCES.limits, ...input.resources?.limits },
  };
  for (const kind of ['cpu', 'memory'] as const) {
    if (quantity(kind, resources.requests[kind], 'requested') > quantity(kind, resources.limits[kind], 'limit')) {
      throw invalid(`The ${kind} request ${resources.requests[kind]} is above its limit ${resources.limits[kind]}.`,
        'Kubernetes refuses a request above the limit: lower the request or raise the limit.');
    }
  }
  const name = dnsLabel(input.name);
  return { name, gid, hostPort, sampling, resources, publishAddress: input.publishAddress ?? '127.0.0.1' };
}

function toYaml(value: unknown, comment: string): string {
  const doc = new Document(value, { version: '1.1' });
  doc.commentBefore = comment
    .split('\n')
    .map((l) => (l ? ` ${l}` : ''))
    .join('\n');
  return doc.toString({ lineWidth: 0 });
}

const banner = (input: DeployInput) => `Generated by ${APP_NAME} for ${input.name} version ${input.version}.`;

/** The health check command, in the image's own Python (slim images have no curl). */
const readyProbeCommand = [
  'CMD',
  'python3',
  '-c',
  `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${CONTAINER_PORT}/v2/health/ready', timeout=4)`,
];

export function composeFile(input: DeployInput): string {
  const r = resolve(input);
  const services: Record<string, unknown> = {
    model: {
      image: input.imageTag,
      user: `${input.imageUid}:${r.gid}`,
      restart: 'unless-stopped',
      ports: [`${r.publishAddress.includes(':') ? `[${r.publishAddress}]` : r.publishAddress}:${r.hostPort}:${CONTAINER_PORT}`],
      environment: {
        [SERVING_ENV.port]: String(CONTAINER_PORT),
        [SERVING_ENV.predictionLog]: PREDICTION_LOG,
        [SERVING_ENV.predictionLogSampling]: String(r.sampling),
      },
      read_only: true,
      volumes: [
        // tmpfs mounts are mode 1777, so the non-root user can write them. Mount a volume here
        // instead to keep the prediction log across restarts.
        { type: 'tmpfs', target: LOG_DIR, tmpfs: { size: 256 * 2 ** 20 } },
        { type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 2 ** 20 } },
      ],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      healthcheck: { test: readyProbeCommand, interval: '10s', timeout: '5s', retries: 3, start_period: '60s' },
      stop_grace_period: '30s',
    },
  };
  if (input.monitoring ?? true) {
    services.prometheus = {
      image: input.prometheusImage ?? DEFAULT_PROMETHEUS_IMAGE,
      profiles: ['monitoring'],
      restart: 'unless-stopped',
      ports: [`127.0.0.1:9090:9090`],
      volumes: [`./${BUNDLE_FILES.prometheus}:/etc/prometheus/prometheus.yml:ro`],
      depends_on: ['model'],
      read_only: true,
      tmpfs: ['/prometheus'],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    };
  }
  return toYaml(
    { services },
    [
      banner(input),
      `Run from the bundle folder: docker compose up -d  (the service answers on http://${r.publishAddress}:${r.hostPort}).`,
      'With Prometheus scraping /metrics: docker compose --profile monitoring up -d  (http://127.0.0.1:9090).',
      'The port is published on 127.0.0.1 only; change the address under ports to expose it.',
    ].join('\n'),
  );
}

export function prometheusConfig(input: DeployInput): string {
  const r = resolve(input);
  return toYaml(
    {
      global: { scrape_interval: '15s', evaluation_interval: '15s' },
      scrape_configs: [
        {
          job_name: `greenhouse-${r.name}`,
          metrics_path: '/metrics',
          static_configs: [{ targets: [`model:${CONTAINER_PORT}`], labels: { model: input.name, model_version: String(input.version) } }],
        },
      ],
    },
    `${banner(input)}\nUsed by the prometheus service of docker-compose.yml (profile "monitoring").`,
  );
}

function labels(input: DeployInput, name: string) {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/version': String(input.version),
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/managed-by': 'greenhouse',
  };
}

const selector = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name });

const prometheusAnnotations = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(CONTAINER_PORT),
  'prometheus.io/path': '/metrics',
};

const metadata = (input: DeployInput, name: string, extra: Record<string, unknown> = {}) => ({
  name,
  ...(input.namespace ? { namespace: dnsLabel(input.namespace) } : {}),
  labels: labels(input, name),
  ...extra,
});

export function k8sDeployment(input: DeployInput): string {
  const r = resolve(input);
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(input, r.name),
    spec: {
      replicas: 1,
      // A new version rolls out one pod at a time and only replaces a ready one (a canary of one
      // while it starts); the last revisions are kept for `kubectl rollout undo`.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      revisionHistoryLimit: 5,
      minReadySeconds: 10,
      selector: { matchLabels: selector(r.name) },
      template: {
        metadata: { labels: labels(input, r.name), annotations: prometheusAnnotations },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: input.imageUid,
            runAsGroup: r.gid,
            fsGroup: r.gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'model',
              image: input.imageTag,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: CONTAINER_PORT, protocol: 'TCP' }],
              env: [
                { name: SERVING_ENV.port, value: String(CONTAINER_PORT) },
                { name: SERVING_ENV.predictionLog, value: PREDICTION_LOG },
                { name: SERVING_ENV.predictionLogSampling, value: String(r.sampling) },
              ],
              // Liveness waits until the model has loaded once (up to 5 minutes).
              startupProbe: probe('/v2/health/live', 5, 60),
              livenessProbe: probe('/v2/health/live', 10, 3),
              readinessProbe: probe('/v2/health/ready', 5, 3),
              resources: r.resources,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: input.imageUid,
                runAsGroup: r.gid,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'prediction-log', mountPath: LOG_DIR },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'prediction-log', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
  return toYaml(
    deployment,
    [
      banner(input),
      `Push ${input.imageTag} to a registry your cluster pulls from and set the image below to it, then:`,
      'kubectl apply -f k8s/',
      'The prediction log is on an emptyDir (lost with the pod): ship it with your log collector or mount a volume.',
    ].join('\n'),
  );
}

export function k8sService(input: DeployInput): string {
  const r = resolve(input);
  return toYaml(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(input, r.name, { annotations: prometheusAnnotations }),
      spec: {
        type: 'ClusterIP',
        selector: selector(r.name),
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    `${banner(input)}\nInside the cluster: http://${r.name}${input.namespace ? `.${dnsLabel(input.namespace)}` : ''}/v2/health/ready`,
  );
}

/** All deployment files, keyed by their path in the bundle. */
export function deployFiles(input: DeployInput): Record<string, string> {
  const files: Record<string, string> = {
    [BUNDLE_FILES.compose]: composeFile(input),
    [BUNDLE_FILES.k8sDeployment]: k8sDeployment(input),
    [BUNDLE_FILES.k8sService]: k8sService(input),
  };
  if (input.monitoring ?? true) files[BUNDLE_FILES.prometheus] = prometheusConfig(input);
  return files;
}
