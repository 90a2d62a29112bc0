// Desktop mode: the preload's window.greenhouse (invoke/subscribe for contract names only).
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index.js';
import type { Result } from '../../../shared/result.js';
import type { PreloadApi, Transport } from '../../../shared/transport.js';
import { asEnvelope, failure } from './envelope.js';

export class IpcTransport implements Transport {
  readonly kind = 'electron' as const;

  constructor(private readonly api: PreloadApi) {}

  async invoke<N extends MethodName>(method: N, input: MethodInput<N>): Promise<Result<MethodOutput<N>>> {
    let answer: unknown;
    try {
      answer = await this.api.invoke(method, input ?? {});
    } catch {
      return failure(
        'INTERNAL',
        'The Greenhouse backend is not reachable.',
        'Restart Greenhouse. If it keeps happening, report it with the audit log.',
      );
    }
    return asEnvelope<MethodOutput<N>>(answer, method);
  }

  subscribe<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void {
    return this.api.subscribe(event, listener as (payload: unknown) => void);
  }

  /** The backend runs on this machine: a dropped file is already a path, nothing to upload. */
  async fileToPath(file: File): Promise<Result<string>> {
    let path = '';
    try {
      path = this.api.pathForFile(file);
    } catch {
      // Treated like a file without a path below.
    }
    if (path) return { ok: true, value: path };
    return failure(
      'INVALID_INPUT',
      `${file.name || 'The dropped item'} is not a file on this computer (it may come from a web page or another app).`,
      'Drop a file from your file manager, or register it by its path.',
    );
  }
}
