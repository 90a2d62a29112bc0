// A small closed set of error codes. Each has a default remedy so that no error reaches the
// user without saying what to do; callers give a more specific one where they know better.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'NO_WORKSPACE',
  'WORKSPACE_INVALID',
  'CATALOG_TOO_NEW',
  'DOCKER_UNAVAILABLE',
  'CANCELLED',
  'INTERRUPTED',
  'UNSUPPORTED',
  'UNAUTHORIZED',
  'IO_ERROR',
  'UNSAFE_ARTIFACT',
  'PYTHON_ERROR',
  'GATE_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const DEFAULT_REMEDY: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Check the values you entered and try again.',
  NOT_FOUND: 'Check the name or path; it may have been removed or renamed.',
  CONFLICT: 'Something with that name already exists; pick another name or open the existing one.',
  NO_WORKSPACE: 'Open or create a workspace first (greenhouse init DIR, or "Create workspace" in the app).',
  WORKSPACE_INVALID: 'Pick a folder that contains a .greenhouse folder, or create a new workspace.',
  CATALOG_TOO_NEW: 'This workspace was written by a newer Greenhouse. Update Greenhouse to open it.',
  DOCKER_UNAVAILABLE:
    'Start Docker (Docker Desktop, Colima, Podman or dockerd) or set DOCKER_HOST, then check again.',
  CANCELLED: 'Nothing was changed. Start the operation again when you are ready.',
  INTERRUPTED: 'Greenhouse stopped while this was running and nothing of it was kept. Start it again.',
  UNSUPPORTED: 'This action is not available in this mode; use the desktop app or the command line.',
  UNAUTHORIZED: 'Open Greenhouse through the URL printed by "greenhouse serve"; it carries the access token.',
  IO_ERROR: 'Check that the path exists, that you may read and write it, and that the disk is not full.',
  UNSAFE_ARTIFACT:
    'Do not load this file. Ask its author for a clean export (or ONNX); if you trust it completely, override the scan with a recorded reason.',
  GATE_FAILED: 'A hand-off gate does not pass: fix what it names (see greenhouse check), or override it with a recorded reason.',
  PYTHON_ERROR: 'Check that the chosen Python can import the model\'s libraries (pip install them there), then try again.',
  INTERNAL: 'This is a bug in Greenhouse. Try again; if it persists, report it with the audit log.',
};

/** An error that knows its code and remedy. Thrown inside services, turned into an envelope at the edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly remedy: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { remedy?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.remedy = options.remedy ?? DEFAULT_REMEDY[code];
    this.details = options.details;
  }

  toData() {
    return {
      code: this.code,
      message: this.message,
      remedy: this.remedy,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
