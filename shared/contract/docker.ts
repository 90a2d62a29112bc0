import { z } from 'zod';
import { method } from './define.js';
import { empty } from './common.js';

export const dockerStatus = z.object({
  /** Where the engine was reached, e.g. unix:///var/run/docker.sock */
  endpoint: z.string(),
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  /** Docker, Podman… as reported by the engine. */
  product: z.string(),
});
export type DockerStatus = z.infer<typeof dockerStatus>;

export const dockerMethods = {
  'docker.status': method({
    input: empty,
    output: dockerStatus,
    summary: 'Find the container engine and report its version (DOCKER_UNAVAILABLE when none answers).',
  }),
};
