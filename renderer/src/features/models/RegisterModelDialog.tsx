import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { entityName, type MetricsInput } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { isFinished, modelRegistrationOutcome, scanOutcome, type ModelFormOptions, type ModelRegisterRequest } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { DropOverlay } from '../../ui/DropOverlay.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { SelectField, TextField } from '../../ui/Field.js';
import { IconUpload } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Modal } from '../../ui/Modal.js';
import { ProgressBar } from '../../ui/ProgressBar.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { useFileDrop } from '../../ui/use-file-drop.js';
import { FilePicker } from '../datasets/FilePicker.js';
import { PathField } from '../shared/PathField.js';
import { RegisterFooter, useRegistrationFlow } from '../shared/RegisterDialog.js';
import { isModelFileName } from './display.js';
import { MetricRows, newMetricRow, parseMetricRows, type MetricRow } from './MetricRows.js';
import { ModelRegistrationCard } from './ModelRegistrationCard.js';
import { modelHref } from './route.js';
import { MIN_OVERRIDE_REASON, ScanPanel, type ScanState } from './ScanPanel.js';
import { ScanVerdict } from './ScanReport.js';

export interface RegisterModelDialogProps {
  onClose: () => void;
  /** Prefill, e.g. "New version": its name and last path. */
  initialPath?: string;
  initialName?: string;
  /** A model file dropped on the page: uploaded (browser mode) into the path. */
  initialFile?: File;
  /** Told which registration the dialog follows (the page need not show it twice). */
  onRegistration?: (id: string | null) => void;
}

const FORM_ID = 'register-model-form';
const DEFAULT_SAMPLE_SIZE = 100;

/** The contract's rule for names, checked here to say it before the round trip. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return null;
  const r = entityName.safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Not a valid name.');
}

type MetricsSource = 'none' | 'computed' | 'file' | 'form';
type Errors = Partial<Record<'path' | 'name' | 'dataset' | 'target' | 'evaluation' | 'python' | 'sampleSize' | 'metricsPath' | 'metricRows' | 'override', string>>;

/** "latest" or a version number, as a select's value. */
type VersionChoice = 'latest' | number;

const NATIVE_MODEL = [{ kind: 'model', label: 'Browse…' }] as const;
const NATIVE_METRICS = [{ kind: 'metrics', label: 'Browse…' }] as const;

/** The environment choice a form starts with: the newest captured environment, else python3 on PATH. */
const defaultEnvironment = (options: ModelFormOptions | null) => (options?.environments[0] ? `env:${options.environments[0].name}` : 'default');

/**
 * Register a trained model: the file (typed, picked or dropped) is scanned first; an unsafe file
 * needs "Load anyway" with a reason. Then the registration job loads it in the chosen environment
 * and records its signature, golden predictions and metrics.
 */
export function RegisterModelDialog({ onClose, initialPath = '', initialName = '', initialFile, onRegistration }: RegisterModelDialogProps) {
  const options = useAppStore((s) => s.modelFormOptions);
  const optionsStatus = useAppStore((s) => s.modelFormOptionsStatus);
  const optionsError = useAppStore((s) => s.modelFormOptionsError);
  const loadOptions = useAppStore((s) => s.loadModelFormOptions);
  const scanModel = useAppStore((s) => s.scanModel);
  const cancelJob = useAppStore((s) => s.cancelJob);
  const registerModel = useAppStore((s) => s.registerModel);
  const dismiss = useAppStore((s) => s.dismissModelRegistration);
  const pickModelPath = useAppStore((s) => s.pickModelPath);
  const modelFileToPath = useAppStore((s) => s.modelFileToPath);

  const [browse, setBrowse] = useState<'model' | 'metrics' | null>(null);
  const [path, setPath] = useState(initialPath);
  const [name, setName] = useState(initialName);
  const [dataset, setDataset] = useState('');
  const [datasetVersion, setDatasetVersion] = useState<VersionChoice>('latest');
  const [target, setTarget] = useState('');
  const [evaluation, setEvaluation] = useState('');
  const [evaluationVersion, setEvaluationVersion] = useState<VersionChoice>('latest');
  const [notebook, setNotebook] = useState('');
  const [notebookVersion, setNotebookVersion] = useState<VersionChoice>('latest');
  const [environment, setEnvironment] = useState('');
  const [otherPython, setOtherPython] = useState('');
  const [sampleSize, setSampleSize] = useState(String(DEFAULT_SAMPLE_SIZE));
  const [metricsSource, setMetricsSource] = useState<MetricsSource | ''>('');
  const [metricsPath, setMetricsPath] = useState('');
  const [metricRows, setMetricRows] = useState<MetricRow[]>(() => [newMetricRow()]);
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [rowProblems, setRowProblems] = useState<Record<number, string>>({});
  const [scanJobId, setScanJobId] = useState<string | null>(null);
  const [scanStartError, setScanStartError] = useState<AppErrorData | null>(null);
  const [scanning, setScanning] = useState(false);
  const [pendingRegister, setPendingRegister] = useState(false);
  const [upload, setUpload] = useState<{ label: string; fraction: number | null; controller: AbortController } | null>(null);
  const [uploadError, setUploadError] = useState<AppErrorData | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadOptions();
  }, [loadOptions]);

  // The scan of the path shown: its job, its result, or why it failed.
  const scanJob = useAppStore((s) => (scanJobId ? s.jobsById[scanJobId] : undefined));
  const scan = scanOutcome(scanJob);
  const scanState: ScanState =
    scanStartError ? { phase: 'failed', job: undefined, scan: null, error: scanStartError }
    : scanning && !scanJob ? { phase: 'starting', job: undefined, scan: null, error: null }
    : !scanJob ? { phase: 'idle', job: undefined, scan: null, error: null }
    : !isFinished(scanJob) ? { phase: 'running', job: scanJob, scan: null, error: null }
    : scan ? { phase: 'done', job: scanJob, scan, error: null }
    : {
        phase: 'failed',
        job: scanJob,
        scan: null,
        error: scanJob.error ?? { code: 'CANCELLED', message: 'The scan was cancelled.', remedy: 'Scan the file again when you are ready.' },
      };

  const flow = useRegistrationFlow({
    registrations: (s) => s.modelRegistrations,
    opened: (job) => {
      const o = modelRegistrationOutcome(job);
      return o && { name: o.name, href: modelHref(o.name) };
    },
    dismiss,
    onRegistration,
    onClose,
  });
  const { registration, outcome, finished, submitting } = flow;

  // What the selects show until the user picks: the newest dataset, the newest environment.
  const datasets = options?.datasets ?? [];
  const chosenDataset = datasets.find((d) => d.name === (dataset || datasets[0]?.name)) ?? null;
  const chosenEnvironment = environment || defaultEnvironment(options);
  const chosenMetrics: MetricsSource = metricsSource || (evaluation ? 'computed' : 'none');
  const trainingVersion = resolveVersion(datasetVersion, chosenDataset);
  const columns = useDatasetColumns(chosenDataset?.name ?? null, trainingVersion);

  const setField = <T,>(setter: (v: T) => void, field: keyof Errors) => (v: T) => {
    setter(v);
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const choosePath = (picked: string) => {
    // A scan of the last file still running is of no use now.
    if (scanJobId && scanJob && !isFinished(scanJob)) void cancelJob(scanJobId);
    setPath(picked);
    // Another file: the scan and any override belong to the last one.
    setScanJobId(null);
    setScanStartError(null);
    setOverride(false);
    setReason('');
    setErrors((e) => ({ ...e, path: undefined, override: undefined }));
  };

  const startScan = async (scanPath = path): Promise<boolean> => {
    if (!scanPath.trim()) {
      setErrors((e) => ({ ...e, path: 'Enter the path of the model file, browse for it, or drop it here.' }));
      pathRef.current?.focus();
      return false;
    }
    setScanStartError(null);
    setScanJobId(null);
    setScanning(true);
    const r = await scanModel(scanPath);
    setScanning(false);
    if (!r.ok) {
      setScanStartError(r.error);
      return false;
    }
    setScanJobId(r.value.id);
    return true;
  };

  const uploadFile = async (file: File) => {
    if (!isModelFileName(file.name)) {
      setUploadError({
        code: 'INVALID_INPUT',
        message: `${file.name} does not look like a model file.`,
        remedy: 'Drop a .joblib, .pkl, .pickle or .onnx file (compressed joblib files too).',
      });
      return;
    }
    upload?.controller.abort();
    const controller = new AbortController();
    setUploadError(null);
    setUpload({ label: file.name, fraction: 0, controller });
    const r = await modelFileToPath(file, { signal: controller.signal, onProgress: (fraction) => setUpload((u) => u && { ...u, fraction }) });
    setUpload((u) => (u?.controller === controller ? null : u));
    if (!r.ok) {
      if (r.error.code !== 'CANCELLED') setUploadError(r.error);
      return;
    }
    choosePath(r.value);
    void startScan(r.value);
  };

  const firstFile = useRef(initialFile);
  useEffect(() => {
    // A file dropped on the page opened the dialog: take it in once.
    const file = firstFile.current;
    firstFile.current = undefined;
    if (file) void uploadFile(file);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const drop = useFileDrop((files) => {
    const file = files[0];
    if (file && !registration) void uploadFile(file);
  });

  const validate = (): Errors => {
    const found: Errors = {};
    if (!path.trim()) found.path = 'Enter the path of the model file, browse for it, or drop it here.';
    const np = nameProblem(name);
    if (np) found.name = np;
    if (!chosenDataset) found.dataset = 'Register the training dataset first (Datasets), then choose it here.';
    if (!target) found.target = 'Choose the column the model predicts.';
    const size = Number(sampleSize);
    if (!Number.isInteger(size) || size < 1 || size > 10_000) found.sampleSize = 'Enter a whole number from 1 to 10,000.';
    if (chosenEnvironment === 'other' && !otherPython.trim()) found.python = 'Enter the path of a Python interpreter, or choose another environment.';
    if (chosenMetrics === 'computed' && !evaluation) found.evaluation = 'Choose the dataset to compute the metrics on.';
    if (chosenMetrics === 'file' && !metricsPath.trim()) found.metricsPath = 'Enter the path of a JSON file of metric names and values.';
    if (chosenMetrics === 'form') {
      const parsed = parseMetricRows(metricRows);
      setRowProblems(parsed.problems);
      if (Object.keys(parsed.problems).length > 0) found.metricRows = 'Fix the metrics marked above.';
      else if (Object.keys(parsed.values).length === 0) found.metricRows = 'Enter at least one metric, or choose no metrics.';
    }
    return found;
  };

  /** The override a scan needs, or why registration is blocked without one. */
  const overrideProblem = (): string | null => {
    if (!scanState.scan || scanState.scan.safe) return null;
    if (!override) return 'The scan found unsafe code. Tick “Load anyway” and say why, or register a clean file.';
    if (reason.trim().length < MIN_OVERRIDE_REASON) return `Say why in at least ${MIN_OVERRIDE_REASON} characters.`;
    return null;
  };

  const buildRequest = (): ModelRegisterRequest => {
    const evalSummary = datasets.find((d) => d.name === evaluation) ?? null;
    const env = chosenEnvironment;
    const metrics: MetricsInput | null =
      chosenMetrics === 'computed' && evalSummary ? { source: 'computed', dataset: { name: evalSummary.name, version: resolveVersion(evaluationVersion, evalSummary)! } }
      : chosenMetrics === 'file' ? { source: 'file', path: metricsPath.trim() }
      : chosenMetrics === 'form' ? { source: 'form', values: parseMetricRows(metricRows).values }
      : null;
    const notebookSummary = options?.notebooks.find((n) => n.name === notebook) ?? null;
    const environmentSummary = env.startsWith('env:') ? (options?.environments.find((e) => `env:${e.name}` === env) ?? null) : null;
    return {
      path: path.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      training: { dataset: { name: chosenDataset!.name, version: trainingVersion! }, target },
      ...(metrics ? { metrics } : {}),
      ...(notebookSummary ? { notebook: { name: notebookSummary.name, version: notebookVersion === 'latest' ? notebookSummary.latestVersion : notebookVersion } } : {}),
      ...(environmentSummary ? { environment: { name: environmentSummary.name, version: environmentSummary.latestVersion } } : {}),
      ...(env.startsWith('python:') ? { python: env.slice('python:'.length) } : {}),
      ...(env === 'other' ? { python: otherPython.trim() } : {}),
      sampleSize: Number(sampleSize),
      ...(scanState.scan && !scanState.scan.safe && override ? { overrideScan: { reason: reason.trim() } } : {}),
    };
  };

  const register = () => flow.start(() => registerModel(buildRequest()));

  // Register pressed before the scan was done: go on once it is, if the file is safe. The scan
  // job ends outside React (a backend event); the ref holds what to do with this render's form.
  const continueRef = useRef<() => void>(() => undefined);
  const proceed = () => {
    setPendingRegister(false);
    const problem = overrideProblem();
    if (problem) setErrors((e) => ({ ...e, override: problem }));
    else void register();
  };
  useEffect(() => {
    continueRef.current = proceed;
  });
  const stopWaiting = useRef(() => setPendingRegister(false));
  useEffect(() => {
    if (!pendingRegister) return;
    if (scanState.phase === 'done') continueRef.current();
    else if (scanState.phase === 'failed') stopWaiting.current();
  }, [pendingRegister, scanState.phase]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      if (found.path) pathRef.current?.focus();
      return;
    }
    if (scanState.phase === 'idle' || scanState.phase === 'failed') {
      if (await startScan()) setPendingRegister(true);
      return;
    }
    if (scanState.phase !== 'done') {
      setPendingRegister(true);
      return;
    }
    proceed();
  };

  const close = () => {
    upload?.controller.abort();
    flow.close();
  };

  const backToForm = () => {
    flow.backToForm();
    if (outcome) {
      // Registered: the next model starts from an empty file and scan.
      choosePath('');
      setName('');
    }
  };

  const footer =
    browse ? undefined : (
      <RegisterFooter
        formId={FORM_ID}
        submitting={submitting || pendingRegister}
        started={registration !== null}
        finished={finished}
        outcome={outcome}
        runningNote="Closing keeps it running; its progress stays on the Models page."
        onClose={close}
        onBack={backToForm}
      />
    );

  const title = browse ? (browse === 'model' ? 'Choose a model file' : 'Choose a metrics file') : initialName ? `Register a new version of ${initialName}` : 'Register a model';

  return (
    <Modal
      title={title}
      description={
        browse ? 'Files on the computer that runs Greenhouse.' : (
          'A trained scikit-learn or XGBoost model (joblib or pickle) or an ONNX file. Greenhouse scans it without loading it, then loads it in the chosen environment to record its parameters, signature, golden predictions and metrics.'
        )
      }
      onClose={close}
      footer={footer}
      size="lg"
      initialFocus={pathRef}
      className="register-model"
    >
      {browse ?
        <FilePicker
          startPath={browse === 'model' ? path : metricsPath}
          isWanted={browse === 'model' ? isModelFileName : (n) => /\.json$/i.test(n)}
          allowFolder={false}
          onCancel={() => setBrowse(null)}
          onChoose={(picked) => {
            setBrowse(null);
            if (browse === 'model') {
              choosePath(picked);
              void startScan(picked);
            } else setField(setMetricsPath, 'metricsPath')(picked);
          }}
        />
      : registration ?
        <div className="register-model__running">
          {scanState.scan && <ScanVerdict scan={scanState.scan} />}
          <ModelRegistrationCard registration={registration} dismissible={false} openLink={false} className="registration--in-dialog" />
        </div>
      : <div className="register-model__drop" {...drop.handlers}>
          {drop.over && <DropOverlay title="Drop to use this model file" hint="joblib, pickle or ONNX" />}
          <form id={FORM_ID} className="form register-model__form" onSubmit={submit} noValidate>
            <FormSection title="The file">
              <PathField
                inputRef={pathRef}
                label="Model file"
                name="path"
                placeholder="/home/you/project/model.joblib"
                value={path}
                error={errors.path}
                onChange={choosePath}
                hint="Type or paste a path on this computer, browse for it, or drop the file on this dialog."
                nativePickers={NATIVE_MODEL}
                pickNative={async (kind) => {
                  const r = await pickModelPath(kind);
                  if (r.ok && r.value) void startScan(r.value);
                  return r;
                }}
                onBrowse={() => setBrowse('model')}
              />
              {upload && (
                <div className="register-model__upload">
                  <IconUpload />
                  <ProgressBar value={upload.fraction} label={`Upload ${upload.label} progress`} />
                  <Button size="sm" variant="ghost" onClick={() => upload.controller.abort()}>
                    Cancel upload
                  </Button>
                </div>
              )}
              {uploadError && <ErrorBanner error={uploadError} title="Could not use the dropped file" onDismiss={() => setUploadError(null)} />}
              <ScanPanel
                state={scanState}
                canScan={path.trim() !== ''}
                onScan={() => void startScan()}
                onCancel={() => scanJobId && void cancelJob(scanJobId)}
                override={override}
                reason={reason}
                onOverride={setField(setOverride, 'override')}
                onReason={setField(setReason, 'override')}
                overrideError={errors.override ?? null}
              />
              <TextField
                label="Name"
                name="name"
                placeholder="churn"
                autoComplete="off"
                value={name}
                error={errors.name ?? nameProblem(name)}
                onChange={(e) => setField(setName, 'name')(e.target.value)}
                hint="Optional; defaults to the file name. Registering under an existing name adds a version."
              />
            </FormSection>

            {optionsError && <LoadProblem error={optionsError} title="Could not load the datasets, notebooks and environments to choose from" onRetry={() => void loadOptions()} />}
            {optionsStatus === 'loading' && !options && (
              <LoadingLine className="small">Loading the datasets, notebooks and environments…</LoadingLine>
            )}

            <FormSection title="Training data">
              <div className="form__grid">
                <SelectField
                  label="Training dataset"
                  value={chosenDataset?.name ?? ''}
                  error={errors.dataset}
                  onChange={(e) => {
                    setField(setDataset, 'dataset')(e.target.value);
                    setDatasetVersion('latest');
                    setTarget('');
                  }}
                >
                  {datasets.length === 0 && <option value="">No dataset registered</option>}
                  {datasets.map((d) => (
                    <option key={d.name} value={d.name}>
                      {d.name}
                    </option>
                  ))}
                </SelectField>
                <VersionField label="Dataset version" summary={chosenDataset} value={datasetVersion} onChange={(v) => { setDatasetVersion(v); setTarget(''); }} />
                <SelectField
                  label="Target column"
                  value={target}
                  error={errors.target ?? (columns.error ? `Could not read the columns: ${columns.error.message}` : undefined)}
                  onChange={(e) => setField(setTarget, 'target')(e.target.value)}
                  disabled={!chosenDataset}
                  hint={columns.loading ? 'Reading the columns…' : undefined}
                >
                  <option value="">Choose the column it predicts</option>
                  {columns.names.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </SelectField>
              </div>
              <TextField
                label="Golden examples"
                name="sampleSize"
                type="number"
                inputMode="numeric"
                min={1}
                max={10_000}
                value={sampleSize}
                error={errors.sampleSize}
                onChange={(e) => setField(setSampleSize, 'sampleSize')(e.target.value)}
                hint="Rows sampled from the training data whose predictions the bundle's tests must reproduce."
                className="register-model__sample"
              />
            </FormSection>

            <FormSection title="Provenance">
              <div className="form__grid register-model__pair">
                <SelectField label="Notebook" value={notebook} onChange={(e) => { setNotebook(e.target.value); setNotebookVersion('latest'); }} hint="The notebook that trained it (optional).">
                  <option value="">None</option>
                  {(options?.notebooks ?? []).map((n) => (
                    <option key={n.name} value={n.name}>
                      {n.name}
                    </option>
                  ))}
                </SelectField>
                <VersionField label="Notebook version" summary={options?.notebooks.find((n) => n.name === notebook) ?? null} value={notebookVersion} onChange={setNotebookVersion} />
              </div>
              <SelectField
                label="Environment"
                value={chosenEnvironment}
                onChange={(e) => setField(setEnvironment, 'python')(e.target.value)}
                hint="The model is loaded in it to read its parameters and make the golden predictions; an interpreter is captured on the way."
              >
                <option value="default">python3 on the PATH of the computer that runs Greenhouse</option>
                {options && options.environments.length > 0 && (
                  <optgroup label="Captured environments">
                    {options.environments.map((env) => (
                      <option key={env.name} value={`env:${env.name}`}>
                        {env.name} v{env.latestVersion}
                        {env.pythonVersion ? ` · Python ${env.pythonVersion}` : ''} · {env.packages} packages
                      </option>
                    ))}
                  </optgroup>
                )}
                {options && options.pythons.length > 0 && (
                  <optgroup label="Interpreters found on this computer">
                    {options.pythons.map((p) => (
                      <option key={p.path} value={`python:${p.path}`}>
                        {p.label}
                        {p.version ? ` · Python ${p.version}` : ''} · {p.path}
                      </option>
                    ))}
                  </optgroup>
                )}
                <option value="other">Another interpreter…</option>
              </SelectField>
              {chosenEnvironment === 'other' && (
                <TextField
                  label="Interpreter path"
                  name="python"
                  placeholder="/home/you/project/.venv/bin/python"
                  autoComplete="off"
                  spellCheck={false}
                  value={otherPython}
                  error={errors.python}
                  onChange={(e) => setField(setOtherPython, 'python')(e.target.value)}
                />
              )}
            </FormSection>

            <FormSection title="Evaluation and metrics">
              <div className="form__grid register-model__pair">
                <SelectField
                  label="Evaluation dataset"
                  value={evaluation}
                  error={errors.evaluation}
                  onChange={(e) => {
                    setField(setEvaluation, 'evaluation')(e.target.value);
                    setEvaluationVersion('latest');
                  }}
                  hint="Held-out data with the same target column (optional)."
                >
                  <option value="">None</option>
                  {datasets.map((d) => (
                    <option key={d.name} value={d.name}>
                      {d.name}
                    </option>
                  ))}
                </SelectField>
                <VersionField label="Evaluation version" summary={datasets.find((d) => d.name === evaluation) ?? null} value={evaluationVersion} onChange={setEvaluationVersion} />
              </div>
              <fieldset className="fieldset">
                <legend className="field__label">Metrics</legend>
                <div className="radio-row">
                  {(
                    [
                      ['none', 'None for now'],
                      ['computed', 'Computed on the evaluation dataset'],
                      ['file', 'From a JSON file'],
                      ['form', 'Enter values'],
                    ] as const
                  ).map(([value, label]) => (
                    <label key={value} className="radio">
                      <input type="radio" name="metrics-source" value={value} checked={chosenMetrics === value} onChange={() => setMetricsSource(value)} />
                      {label}
                    </label>
                  ))}
                </div>
              </fieldset>
              {chosenMetrics === 'computed' && !evaluation && <p className="muted small">Choose the evaluation dataset above; the metrics and a trivial baseline are computed on it.</p>}
              {chosenMetrics === 'file' && (
                <PathField
                  label="Metrics file"
                  name="metricsPath"
                  placeholder="/home/you/project/metrics.json"
                  value={metricsPath}
                  error={errors.metricsPath}
                  onChange={setField(setMetricsPath, 'metricsPath')}
                  hint='A JSON object of metric names and numbers, e.g. {"accuracy": 0.87}.'
                  nativePickers={NATIVE_METRICS}
                  pickNative={pickModelPath}
                  onBrowse={() => setBrowse('metrics')}
                />
              )}
              {chosenMetrics === 'form' && (
                <>
                  <MetricRows rows={metricRows} onChange={setMetricRows} problems={rowProblems} legend="Metric values" />
                  {errors.metricRows && <p className="field__error">{errors.metricRows}</p>}
                </>
              )}
            </FormSection>

            {Object.values(errors).some(Boolean) && (
              <p className="field__error register-model__summary" role="alert">
                {errors.override ? 'Registration is blocked: the scan found code that would run on loading. See the scan above.' : 'Some fields need attention: see the messages above.'}
              </p>
            )}
            {pendingRegister && (
              <LoadingLine className="small">Scanning the file first; registration starts when the scan says it is safe.</LoadingLine>
            )}
          </form>
        </div>
      }
    </Modal>
  );
}

function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="form-section" aria-label={title}>
      <h3 className="form-section__title">{title}</h3>
      {children}
    </section>
  );
}

/** A version number to send: the latest resolved from the summary, or the one chosen. */
function resolveVersion(choice: VersionChoice, summary: { latestVersion: number } | null): number | null {
  if (!summary) return null;
  return choice === 'latest' ? summary.latestVersion : choice;
}

/** Latest, or one of the versions 1…latest of a dataset or notebook. */
function VersionField({ label, summary, value, onChange }: { label: string; summary: { latestVersion: number } | null; value: VersionChoice; onChange: (v: VersionChoice) => void }) {
  const latest = summary?.latestVersion ?? 0;
  return (
    <SelectField label={label} value={String(value)} disabled={!summary} onChange={(e) => onChange(e.target.value === 'latest' ? 'latest' : Number(e.target.value))}>
      <option value="latest">{summary ? `Latest (v${latest})` : '—'}</option>
      {Array.from({ length: Math.max(0, latest - 1) }, (_, i) => latest - 1 - i).map((v) => (
        <option key={v} value={v}>
          Version {v}
        </option>
      ))}
    </SelectField>
  );
}

/** The columns of one dataset version, for the target select. */
function useDatasetColumns(name: string | null, version: number | null) {
  const peekDataset = useAppStore((s) => s.peekDataset);
  const [state, setState] = useState<{ key: string; names: string[]; error: AppErrorData | null } | null>(null);
  const key = name && version ? `${name}@${version}` : null;
  useEffect(() => {
    if (!name || !version) return;
    let current = true;
    void peekDataset(name, version).then((r) => {
      if (!current) return;
      setState(r.ok ? { key: `${name}@${version}`, names: r.value.columns.map((c) => c.name), error: null } : { key: `${name}@${version}`, names: [], error: r.error });
    });
    return () => {
      current = false;
    };
  }, [name, version, peekDataset]);
  const mine = state && state.key === key ? state : null;
  return { names: mine?.names ?? [], error: mine?.error ?? null, loading: key !== null && !mine };
}

