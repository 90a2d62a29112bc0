import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { EnvironmentSource, EnvPackage } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { fsErrorToAppError } from '../errors.js';
import { normalizePackageName, sortPackages } from './packages.js';

export interface RequirementFileContent {
  source: Exclude<EnvironmentSource, 'interpreter'>;
  pythonRequires: string | null;
  packages: EnvPackage[];
  /** Lines that could not be read as a requirement, with why; the rest is kept. */
  skipped: string[];
}

/** Requirement files are small; anything bigger is not one. */
const MAX_REQUIREMENT_FILE_BYTES = 4 * 1024 * 1024;

const PEP508 = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;

/** A PEP 508 requirement ("pandas[excel]>=2,<3; python_version>'3.8'") as a package; null if not one. */
export function parseRequirement(text: string): EnvPackage | null {
  const withoutMarker = text.split(';')[0]!.trim();
  const m = PEP508.exec(withoutMarker);
  if (!m) return null;
  const name = normalizePackageName(m[1]!);
  const spec = m[2]!.replace(/\s+/g, '');
  if (spec === '') return { name, version: null, specifier: null };
  const exact = /^===?([^,=<>!~*]+)$/.exec(spec);
  if (exact) return { name, version: exact[1]!, specifier: null };
  if (spec.startsWith('@')) return { name, version: null, specifier: `@ ${spec.slice(1)}` };
  if (!/^(==|!=|<=|>=|<|>|~=|===)/.test(spec) && !spec.startsWith('(')) return null;
  return { name, version: null, specifier: spec.replace(/^\((.*)\)$/, '$1') };
}

/** requirements.txt: one requirement per line, comments, continuations, -r/-c includes; options are skipped. */
async function parseRequirementsTxt(path: string, seen: Set<string>, out: RequirementFileContent): Promise<void> {
  if (seen.has(path)) return;
  seen.add(path);
  const text = await readText(path);
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      // Constraints narrow versions but add nothing; only -r brings packages in.
      if (include[1] === '-r' || include[1] === '--requirement') await parseRequirementsTxt(resolve(dirname(path), include[2]!), seen, out);
      continue;
    }
    if (line.startsWith('-e ') || line.startsWith('--editable')) {
      const egg = /#egg=([\w.-]+)/.exec(raw);
      if (egg) out.packages.push({ name: normalizePackageName(egg[1]!), version: null, specifier: '(editable)' });
      else out.skipped.push(`${line}: an editable install without #egg=NAME`);
      continue;
    }
    if (line.startsWith('-')) continue; // --index-url, --find-links, --hash… say nothing about what is installed
    const requirement = parseRequirement(line.replace(/\s--hash=\S+/g, ''));
    if (requirement) out.packages.push(requirement);
    else out.skipped.push(`${line}: not a requirement Greenhouse can read (a URL or path without a name?)`);
  }
}

/** pyproject.toml: PEP 621 [project] dependencies and requires-python, or Poetry's dependency table. */
function parsePyproject(text: string, path: string, out: RequirementFileContent): void {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` (line ${e.line}, column ${e.column})` : '';
    throw new AppError('INVALID_INPUT', `${path} is not valid TOML${where}: ${(e as Error).message.split('\n')[0]}`, {
      remedy: 'Fix the file (pip or poetry will tell you the same), then capture it again.',
    });
  }
  const project = (doc.project ?? {}) as { dependencies?: unknown; 'requires-python'?: unknown };
  if (typeof project['requires-python'] === 'string') out.pythonRequires = project['requires-python'];
  if (Array.isArray(project.dependencies)) {
    for (const d of project.dependencies) {
      const requirement = typeof d === 'string' ? parseRequirement(d) : null;
      if (requirement) out.packages.push(requirement);
      else out.skipped.push(`${String(d)}: not a PEP 508 requirement`);
    }
  }
  const poetry = ((doc.tool as Record<string, unknown> | undefined)?.poetry as { dependencies?: Record<string, unknown> } | undefined)?.dependencies;
  if (poetry) {
    for (const [name, value] of Object.entries(poetry)) {
      const spec = typeof value === 'string' ? value : typeof (value as { version?: unknown })?.version === 'string' ? (value as { version: string }).version : null;
      if (name.toLowerCase() === 'python') {
        out.pythonRequires = spec;
        continue;
      }
      if (spec === null || spec === '*') out.packages.push({ name: normalizePackageName(name), version: null, specifier: spec === '*' ? null : '(path or git source)' });
      else if (/^\d[\w.+!-]*$/.test(spec)) out.packages.push({ name: normalizePackageName(name), version: spec, specifier: null });
      else out.packages.push({ name: normalizePackageName(name), version: null, specifier: spec });
    }
  }
  if (!Array.isArray(project.dependencies) && !poetry) {
    throw new AppError('INVALID_INPUT', `${path} declares no dependencies ([project] dependencies or [tool.poetry.dependencies]).`, {
      remedy: 'Capture the interpreter the model was trained with instead, or add the dependencies to pyproject.toml.',
    });
  }
}

/** A conda spec "numpy=1.24.2=py311h…" or "numpy>=1.24" as a package. */
function parseCondaSpec(spec: string): EnvPackage | null {
  const s = spec.trim().replace(/^[\w-]+::/, ''); // channel prefix
  const conda = /^([A-Za-z0-9][\w.-]*)\s*=\s*([^=\s<>!~]+)(?:=\S+)?$/.exec(s);
  if (conda) {
    const version = conda[2]!;
    return version.includes('*') ? { name: normalizePackageName(conda[1]!), version: null, specifier: `=${version}` } : { name: normalizePackageName(conda[1]!), version, specifier: null };
  }
  return parseRequirement(s);
}

/** environment.yml: conda dependencies and the nested pip list; python's pin becomes pythonRequires. */
function parseEnvironmentYml(text: string, path: string, out: RequirementFileContent): void {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    throw new AppError('INVALID_INPUT', `${path} is not valid YAML${where}: ${(e as Error).message.split('\n')[0]}`, {
      remedy: 'Fix the file (conda env create -f will tell you the same), then capture it again.',
    });
  }
  const deps = (doc as { dependencies?: unknown } | null)?.dependencies;
  if (!Array.isArray(deps)) {
    throw new AppError('INVALID_INPUT', `${path} has no "dependencies:" list.`, { remedy: 'Export it with "conda env export --from-history > environment.yml".' });
  }
  for (const d of deps) {
    if (typeof d === 'string') {
      const p = parseCondaSpec(d);
      if (!p) out.skipped.push(`${d}: not a conda or pip spec`);
      else if (p.name === 'python') out.pythonRequires = p.version ?? p.specifier;
      else if (p.name !== 'pip') out.packages.push(p);
    } else if (d && typeof d === 'object' && Array.isArray((d as { pip?: unknown }).pip)) {
      for (const r of (d as { pip: unknown[] }).pip) {
        const p = typeof r === 'string' ? parseRequirement(r) : null;
        if (p) out.packages.push(p);
        else out.skipped.push(`${String(r)}: not a pip requirement`);
      }
    }
  }
}

async function readText(path: string): Promise<string> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new AppError('INVALID_INPUT', `${path} is a folder, not a requirement file.`, { remedy: 'Pick requirements.txt, pyproject.toml or environment.yml itself.' });
    if (s.size > MAX_REQUIREMENT_FILE_BYTES) {
      throw new AppError('INVALID_INPUT', `${path} is ${(s.size / 1024 ** 2).toFixed(1)} MB: too large for a requirement file.`, {
        remedy: 'Pick requirements.txt, pyproject.toml or environment.yml.',
      });
    }
    const bytes = await readFile(path);
    if (bytes.includes(0)) throw new AppError('INVALID_INPUT', `${path} is a binary file, not a requirement file.`, { remedy: 'Pick requirements.txt, pyproject.toml or environment.yml.' });
    return bytes.toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw fsErrorToAppError(e, path);
  }
}

/** Which kind of requirement file a path is, by its name. */
export function requirementFileKind(path: string): RequirementFileContent['source'] {
  const name = basename(path).toLowerCase();
  if (name === 'pyproject.toml') return 'pyproject';
  if (/\.ya?ml$/.test(name)) return 'conda-yml';
  if (/\.(txt|in|pip)$/.test(name) || name.startsWith('requirements')) return 'requirements';
  throw new AppError('INVALID_INPUT', `${path} is not a requirement file Greenhouse reads.`, {
    remedy: 'Give requirements.txt (or another *.txt of pip requirements), pyproject.toml or environment.yml.',
  });
}

/** Read a requirements.txt, pyproject.toml or environment.yml into a package list. */
export async function readRequirementFile(path: string): Promise<RequirementFileContent> {
  const source = requirementFileKind(path);
  const out: RequirementFileContent = { source, pythonRequires: null, packages: [], skipped: [] };
  if (source === 'requirements') await parseRequirementsTxt(path, new Set(), out);
  else if (source === 'pyproject') parsePyproject(await readText(path), path, out);
  else parseEnvironmentYml(await readText(path), path, out);
  if (out.packages.length === 0 && out.skipped.length > 0) {
    throw new AppError('INVALID_INPUT', `No requirement in ${path} could be read: ${out.skipped.slice(0, 3).join('; ')}`, {
      remedy: 'Write one requirement per line (name==version), or capture the interpreter instead.',
    });
  }
  return { ...out, packages: sortPackages(out.packages) };
}
