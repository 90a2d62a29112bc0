// A build context streamed from a folder: the files its .dockerignore lets through (with the
// engine's own matching rules), as a tar with fixed times and owners, read from disk while the
// engine consumes it (a multi-gigabyte model is never held in memory).

import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pack as tarPack, type Pack } from 'tar-stream';
import { AppError } from '../../../shared/errors.js';

export interface IgnorePattern {
  /** The pattern as written (cleaned). */
  pattern: string;
  /** A "!" line: matching paths are sent after all. */
  exclusion: boolean;
  regex: RegExp;
}

/** Collapse "a//b", "./a", "a/./b", "a/../b" and trailing slashes, as Go's filepath.Clean does. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!p.startsWith('/')) out.push('..');
      continue;
    }
    out.push(part);
  }
  return out.join('/') || '.';
}

/** A .dockerignore pattern as a regular expression (moby/patternmatcher: *, ?, [..], ** and \ escapes). */
function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        // "**" at the end matches everything below; elsewhere any number of folders, even none.
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

/** The patterns of a .dockerignore file: comments and blank lines skipped, "!" lines re-include. */
export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    if (!line) continue;
    const pattern = cleanPath(line.replace(/^\/+/, ''));
    out.push({ pattern, exclusion, regex: compile(pattern) });
  }
  return out;
}

/**
 * Whether the engine would leave `path` (relative, forward slashes) out of the context: the last
 * pattern that matches the path or one of its parent folders decides, as `docker build` does.
 */
export function isIgnored(path: string, patterns: IgnorePattern[]): boolean {
  const parts = path.split('/');
  let ignored = false;
  for (const p of patterns) {
    let match = p.regex.test(path);
    for (let i = 1; !match && i < parts.length; i++) match = p.regex.test(parts.slice(0, i).join('/'));
    if (match) ignored = !p.exclusion;
  }
  return ignored;
}

export interface ContextFile {
  /** Relative, forward slashes. */
  path: string;
  absolute: string;
  bytes: number;
  mode: number;
}

/** Files and folders the engine always needs, whatever .dockerignore says. */
const ALWAYS_SENT = new Set(['Dockerfile', '.dockerignore']);

/** The files of `dir` that go into its build context, sorted by path. Links and special files are refused. */
export async function contextFiles(dir: string): Promise<ContextFile[]> {
  const ignore = await readFile(join(dir, '.dockerignore'), 'utf8').then(parseDockerignore, (e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const out: ContextFile[] = [];
  const walk = async (abs: string, rel: string) => {
    for (const name of (await readdir(abs)).sort()) {
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(childAbs);
      if (st.isDirectory()) await walk(childAbs, childRel);
      else if (ALWAYS_SENT.has(childRel) || !isIgnored(childRel, ignore)) {
        if (!st.isFile()) {
          throw new AppError('INVALID_INPUT', `${childRel} in ${dir} is not a regular file, so it cannot go into the image.`, {
            remedy: 'Replace the link or special file with a plain file (or list it in .dockerignore), then build again.',
          });
        }
        out.push({ path: childRel, absolute: childAbs, bytes: st.size, mode: st.mode & 0o111 ? 0o755 : 0o644 });
      }
    }
  };
  await walk(dir, '');
  if (!out.some((f) => f.path === 'Dockerfile')) {
    throw new AppError('NOT_FOUND', `${dir} has no Dockerfile.`, { remedy: 'Write the bundle again (greenhouse bundle create NAME@VERSION), then build.' });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Write one file into the tar, streamed, honouring backpressure; its size must not change meanwhile. */
function addFile(tar: Pack, file: ContextFile, mtime: Date, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const sink = tar.entry({ name: file.path, size: file.bytes, mode: file.mode, mtime, uid: 0, gid: 0, uname: '', gname: '' }, (err) => (err ? reject(err) : resolve()));
    sink.on('error', () => {});
    const source = createReadStream(file.absolute, { highWaterMark: 1 << 20 });
    (async () => {
      let written = 0;
      for await (const chunk of source as AsyncIterable<Buffer>) {
        signal?.throwIfAborted();
        written += chunk.length;
        if (written > file.bytes) break;
        if (!sink.write(chunk)) await new Promise<void>((res) => sink.once('drain', () => res()));
      }
      if (written !== file.bytes) {
        throw new AppError('CONFLICT', `${file.path} changed while it was sent to the engine.`, { remedy: 'Wait until nothing writes into the folder, then build again.' });
      }
      sink.end(null);
    })().catch((e: unknown) => {
      source.destroy();
      sink.destroy(e as Error);
      reject(e);
    });
  });
}

/**
 * The build context of `dir` as a tar stream: the files its .dockerignore lets through (always
 * the Dockerfile), sorted, with a fixed mtime, owner 0:0, and mode 0644 (0755 for executables), so
 * an unchanged folder gives the same context and the engine's layer cache holds.
 */
export async function folderContextTar(dir: string, opts: { signal?: AbortSignal; mtime?: Date } = {}): Promise<{ stream: NodeJS.ReadableStream; files: ContextFile[]; bytes: number }> {
  const files = await contextFiles(dir);
  const tar = tarPack();
  const mtime = opts.mtime ?? new Date(0);
  void (async () => {
    for (const f of files) await addFile(tar, f, mtime, opts.signal);
    tar.finalize();
  })().catch((e: unknown) => tar.destroy(e as Error));
  return { stream: tar as unknown as NodeJS.ReadableStream, files, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}
