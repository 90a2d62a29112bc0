import type { DockerStatus } from '../../../shared/contract/index.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { SliceCreator } from './types.js';

export interface DockerSlice {
  docker: {
    state: 'unknown' | 'checking' | 'available' | 'unavailable';
    status: DockerStatus | null;
    error: AppErrorData | null;
    checkedAt: string | null;
  };
  checkDocker(): Promise<void>;
}

export const createDockerSlice: SliceCreator<DockerSlice> = (transport) => (set, get) => ({
  docker: { state: 'unknown', status: null, error: null, checkedAt: null },

  async checkDocker() {
    if (get().docker.state === 'checking') return;
    set({ docker: { ...get().docker, state: 'checking' } });
    const r = await transport.invoke('docker.status', {});
    const checkedAt = new Date().toISOString();
    set({
      docker: r.ok
        ? { state: 'available', status: r.value, error: null, checkedAt }
        : { state: 'unavailable', status: null, error: r.error, checkedAt },
    });
  },
});
