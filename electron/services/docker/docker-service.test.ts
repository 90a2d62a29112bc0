import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp.js';
import { candidateEndpoints, DockerService, endpointFromDockerHost } from './docker-service.js';

describe('finding the container engine', () => {
  it('uses DOCKER_HOST alone when it is set', () => {
    expect(candidateEndpoints({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, 'linux', '/home/a')).toEqual([
      { label: 'unix:///run/user/1000/docker.sock', options: { socketPath: '/run/user/1000/docker.sock' } },
    ]);
    expect(endpointFromDockerHost('tcp://127.0.0.1:2375').options).toEqual({ host: '127.0.0.1', port: 2375, protocol: 'http' });
    expect(endpointFromDockerHost('npipe:////./pipe/docker_engine').options.socketPath).toBe('\\\\.\\pipe\\docker_engine');
  });

  it('tries the standard, rootless, Docker Desktop, Colima and Podman sockets on Linux and macOS', () => {
    const labels = candidateEndpoints({ XDG_RUNTIME_DIR: '/run/user/1000' }, 'darwin', '/Users/a').map((e) => e.label);
    expect(labels[0]).toBe('unix:///var/run/docker.sock');
    expect(labels).toEqual(
      expect.arrayContaining([
        'unix:///run/user/1000/docker.sock',
        'unix:///Users/a/.docker/run/docker.sock',
        'unix:///Users/a/.colima/default/docker.sock',
        'unix:///run/user/1000/podman/podman.sock',
      ]),
    );
  });

  it('uses the named pipes on Windows', () => {
    const endpoints = candidateEndpoints({}, 'win32', 'C:\\Users\\a');
    expect(endpoints.map((e) => e.options.socketPath)).toEqual(['\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\podman-machine-default']);
  });

  it('answers DOCKER_UNAVAILABLE with what it tried and what to do', async () => {
    const service = new DockerService(() => [{ label: 'unix:///nope.sock', options: { socketPath: '/nope.sock' } }]);
    await expect(service.status()).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE', message: expect.stringContaining('/nope.sock') });
  });

  it('gives up on a socket that accepts but never answers, within its timeout', async () => {
    const sock = join(tempDir(), 'silent.sock');
    const server = createServer(() => undefined).listen(sock);
    try {
      const service = new DockerService(() => [{ label: `unix://${sock}`, options: { socketPath: sock } }], 300);
      const t0 = Date.now();
      await expect(service.status()).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE' });
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      server.close();
    }
  });
});
