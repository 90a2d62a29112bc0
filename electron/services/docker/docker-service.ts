import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { DockerStatus } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';

export interface EngineEndpoint {
  /** How it is shown to the user, e.g. unix:///var/run/docker.sock */
  label: string;
  options: Docker.DockerOptions;
}

/** Parse DOCKER_HOST (unix://, npipe://, tcp://, http(s)://) into dockerode options. */
export function endpointFromDockerHost(value: string): EngineEndpoint {
  if (value.startsWith('unix://')) return { label: value, options: { socketPath: value.slice('unix://'.length) } };
  if (value.startsWith('npipe://')) return { label: value, options: { socketPath: value.slice('npipe://'.length).replace(/\//g, '\\') } };
  const url = new URL(value.replace(/^tcp:\/\//, 'http://'));
  return {
    label: value,
    options: { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 2376 : 2375)), protocol: url.protocol === 'https:' ? 'https' : 'http' },
  };
}

/**
 * Where a container engine may listen on this machine, in the order we try them:
 * DOCKER_HOST, then the standard socket, rootless Docker, Docker Desktop, Colima, Podman,
 * and the Windows named pipes.
 */
export function candidateEndpoints(env = process.env, platform = process.platform, home = homedir()): EngineEndpoint[] {
  if (env.DOCKER_HOST) return [endpointFromDockerHost(env.DOCKER_HOST)];
  if (platform === 'win32') {
    return ['//./pipe/docker_engine', '//./pipe/podman-machine-default'].map((p) => ({
      label: `npipe:${p}`,
      options: { socketPath: p.replace(/\//g, '\\') },
    }));
  }
  const runtime = env.XDG_RUNTIME_DIR;
  const sockets = [
    '/var/run/docker.sock',
    runtime && join(runtime, 'docker.sock'),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join(home, '.colima', 'default', 'docker.sock'),
    join(home, '.colima', 'docker.sock'),
    join(home, '.rd', 'docker.sock'),
    runtime && join(runtime, 'podman', 'podman.sock'),
    '/run/podman/podman.sock',
    join(home, '.local', 'share', 'containers', 'podman', 'machine', 'podman.sock'),
  ].filter((p): p is string => Boolean(p));
  return [...new Set(sockets)].map((p) => ({ label: `unix://${p}`, options: { socketPath: p } }));
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref()),
  ]);

/** Finds the container engine and hands out a connected dockerode client. */
export class DockerService {
  private found: { docker: Docker; endpoint: EngineEndpoint } | null = null;

  constructor(
    private readonly candidates: () => EngineEndpoint[] = () => candidateEndpoints(),
    private readonly timeoutMs = 3000,
  ) {}

  /** A client for the first engine that answers a ping; DOCKER_UNAVAILABLE when none does. */
  async client(): Promise<{ docker: Docker; endpoint: EngineEndpoint }> {
    if (this.found) {
      try {
        await withTimeout(this.found.docker.ping(), this.timeoutMs, 'The container engine');
        return this.found;
      } catch {
        this.found = null;
      }
    }
    const tried: string[] = [];
    for (const endpoint of this.candidates()) {
      const socket = endpoint.options.socketPath;
      if (socket && !socket.startsWith('\\\\') && !existsSync(socket)) {
        tried.push(`${endpoint.label} (no such socket)`);
        continue;
      }
      const docker = new Docker(endpoint.options);
      try {
        await withTimeout(docker.ping(), this.timeoutMs, endpoint.label);
        this.found = { docker, endpoint };
        return this.found;
      } catch (e) {
        tried.push(`${endpoint.label} (${(e as Error).message})`);
      }
    }
    throw new AppError('DOCKER_UNAVAILABLE', `No container engine answered. Tried: ${tried.join('; ') || 'nothing'}.`, {
      details: { tried },
    });
  }

  async status(): Promise<DockerStatus> {
    const { docker, endpoint } = await this.client();
    const v = await withTimeout(docker.version(), this.timeoutMs, endpoint.label);
    const product = (v.Components ?? []).find((c) => c.Name)?.Name ?? 'Docker Engine';
    return {
      endpoint: endpoint.label,
      version: v.Version,
      apiVersion: v.ApiVersion,
      os: v.Os,
      arch: v.Arch,
      product,
    };
  }
}
