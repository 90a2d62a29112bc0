import { useEffect, useId, useRef, type ReactNode, type Ref } from 'react';
import type { BundleDetail, BundlePlan, ModelSummary } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { BUNDLE_STRATEGIES } from '../../../../shared/contract/index.js';
import {
  newBundleWizard,
  selectBundle,
  selectWizardPlan,
  stepIndex,
  WIZARD_STEPS,
  type BundleWizard,
  type WizardStep,
} from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { BackLink } from '../../ui/DetailPage.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { SelectField, TextField } from '../../ui/Field.js';
import { plural } from '../../ui/format.js';
import { IconCheck, IconCpu } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { cx } from '../../ui/cx.js';
import { environmentHref } from '../environments/route.js';
import { StatusBadge } from './BundleList.js';
import { BuildPanel } from './BuildPanel.js';
import { parseTolerance, STRATEGY_DISPLAY } from './display.js';
import { ExportPanel } from './ExportPanel.js';
import { FileViewer } from './FileViewer.js';
import { JobProgress } from '../shared/JobProgress.js';
import { bundleHref, BUNDLES_HREF } from './route.js';
import { SmokePanel } from './SmokePanel.js';
import { useBundleOp } from './use-bundle-op.js';

const STEP_LABELS: Record<WizardStep, string> = {
  model: 'Model',
  options: 'Base image',
  write: 'Write',
  build: 'Build',
  smoke: 'Smoke test',
  export: 'Export',
};

const STEP_TITLES: Record<WizardStep, string> = {
  model: 'Choose the model version',
  options: 'Base image and libraries',
  write: 'Write the bundle and review it',
  build: 'Build the image',
  smoke: 'Smoke-test the image',
  export: 'Export and verify',
};

/**
 * Package a model version, step by step: choose it, choose the base image and how the libraries
 * get in, write the bundle and review its files, build the image with its live log, smoke-test
 * it, export it and verify the archive.
 */
export function PackageWizard({ headingRef }: { headingRef?: Ref<HTMLHeadingElement> }) {
  const stored = useAppStore((s) => s.bundleWizard);
  const wizard = stored ?? newBundleWizard();
  const update = useAppStore((s) => s.updateBundleWizard);
  const restart = useAppStore((s) => s.restartBundleWizard);
  const choices = useAppStore((s) => s.bundleModelChoices);
  const choicesStatus = useAppStore((s) => s.bundleModelChoicesStatus);
  const choicesError = useAppStore((s) => s.bundleModelChoicesError);
  const loadChoices = useAppStore((s) => s.loadBundleModelChoices);
  const planBundle = useAppStore((s) => s.planBundle);
  const loadBundle = useAppStore((s) => s.loadBundle);

  useEffect(() => {
    void loadChoices();
  }, [loadChoices]);

  // Until the user picks, the first model (and its latest version) is offered.
  const model = wizard.model ?? choices[0]?.name ?? null;
  const version = wizard.model ? wizard.version : null;
  const plan = useAppStore((s) => selectWizardPlan(s, model, version));
  const planStatus = useAppStore((s) => s.bundlePlanStatus);
  const planError = useAppStore((s) => s.bundlePlanError);

  useEffect(() => {
    if (model) void planBundle(model, version);
  }, [model, version, planBundle]);

  const target = plan?.model ?? null;
  const detail = useAppStore((s) => (target ? selectBundle(s, target.name, target.version) : null));
  const create = useBundleOp(target?.name ?? '', target?.version ?? 0, 'create');
  const hasBundle = create.succeeded || plan?.existing != null;
  const pastOptions = stepIndex(wizard.step) >= stepIndex('write');
  const targetName = target?.name ?? null;
  const targetVersion = target?.version ?? null;
  useEffect(() => {
    // The bundle to review, build and export: written just now, or before.
    if (targetName && targetVersion && hasBundle && pastOptions) void loadBundle(targetName, targetVersion);
  }, [targetName, targetVersion, hasBundle, pastOptions, loadBundle]);

  // Each step's heading takes focus when the step changes, so keyboard and screen-reader users land there.
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const previousStep = useRef(wizard.step);
  useEffect(() => {
    if (previousStep.current === wizard.step) return;
    previousStep.current = wizard.step;
    stepHeading.current?.focus();
  }, [wizard.step]);

  const goTo = (step: WizardStep, change: Partial<BundleWizard> = {}) => {
    const reached = stepIndex(step) > stepIndex(wizard.reached) ? step : wizard.reached;
    update({ model, version, ...change, step, reached });
  };

  const index = stepIndex(wizard.step);
  return (
    <div className="wizard">
      <BackLink href={BUNDLES_HREF} label="Bundles" />
      <PageHeader
        title="Package a model"
        headingRef={headingRef}
        description="Write the hand-off bundle of one model version, build its image, check that it serves the golden predictions, and export it for operations."
        actions={
          wizard.reached !== 'model' && (
            <Button variant="ghost" onClick={restart} title="Choose a model again; bundles already written stay as they are">
              Start over
            </Button>
          )
        }
      />
      <StepNav wizard={wizard} onStep={(step) => goTo(step)} />

      <div className="wizard__step" data-step={wizard.step}>
        <h2 ref={stepHeading} tabIndex={-1} className="wizard__step-title">
          <span className="muted">
            Step {index + 1} of {WIZARD_STEPS.length}:
          </span>{' '}
          {STEP_TITLES[wizard.step]}
        </h2>

        {wizard.step === 'model' && (
          <ModelStep
            choices={choices}
            choicesLoading={choicesStatus === 'loading' || choicesStatus === 'idle'}
            choicesError={choicesError}
            onRetryChoices={() => void loadChoices()}
            model={model}
            version={version}
            onChoose={(m, v) => update({ model: m, version: v, reached: 'model' })}
            plan={plan}
            planLoading={planStatus === 'loading'}
            planError={planError}
            onRetryPlan={() => model && void planBundle(model, version)}
            onNext={() => goTo('options')}
          />
        )}
        {wizard.step === 'options' && plan && <OptionsStep wizard={wizard} plan={plan} onChange={update} onBack={() => goTo('model')} onNext={() => goTo('write')} />}
        {wizard.step === 'write' && plan && (
          <WriteStep wizard={wizard} plan={plan} detail={detail} onWritten={() => update({ reached: 'write' })} onBack={() => goTo('options')} onNext={() => goTo('build')} />
        )}
        {wizard.step === 'build' && (
          <NeedsBundle detail={detail} plan={plan} onWrite={() => goTo('write')}>
            {(d) => (
              <>
                <BuildPanel detail={d} dockerAvailable={plan?.dockerAvailable ?? true} onSkipToExport={() => goTo('export')} />
                <StepFooter onBack={() => goTo('write')} next={{ label: 'Next: smoke test', onClick: () => goTo('smoke'), disabled: !d.image, hint: d.image ? undefined : 'The smoke test needs the image.' }} />
              </>
            )}
          </NeedsBundle>
        )}
        {wizard.step === 'smoke' && (
          <NeedsBundle detail={detail} plan={plan} onWrite={() => goTo('write')}>
            {(d) => (
              <>
                <SmokePanel detail={d} />
                <StepFooter onBack={() => goTo('build')} next={{ label: 'Next: export', onClick: () => goTo('export') }} />
              </>
            )}
          </NeedsBundle>
        )}
        {wizard.step === 'export' && (
          <NeedsBundle detail={detail} plan={plan} onWrite={() => goTo('write')}>
            {(d) => (
              <>
                <ExportPanel detail={d} />
                <StepFooter
                  onBack={() => goTo(d.image ? 'smoke' : 'build')}
                  end={
                    <a className="btn btn--primary" href={bundleHref(d.name, { version: d.version })}>
                      Open the bundle’s page
                    </a>
                  }
                />
              </>
            )}
          </NeedsBundle>
        )}
        {!plan && wizard.step !== 'model' && (
          <>
            {planStatus === 'loading' ?
              <LoadingLine>Reading what the model needs…</LoadingLine>
            : planError ?
              <LoadProblem error={planError} title="Could not read what the model needs" onRetry={() => model && void planBundle(model, version)} />
            : null}
            <StepFooter onBack={() => goTo('model')} />
          </>
        )}
      </div>
    </div>
  );
}

/** The steps, each a button once reached; the current one marked. */
function StepNav({ wizard, onStep }: { wizard: BundleWizard; onStep: (step: WizardStep) => void }) {
  const reached = stepIndex(wizard.reached);
  const current = stepIndex(wizard.step);
  return (
    <nav className="wizard__nav" aria-label="Package steps">
      <ol className="wizard__steps">
        {WIZARD_STEPS.map((step, i) => {
          const state = i === current ? 'current' : i < reached || (i <= reached && i < current) ? 'done' : i <= reached ? 'reached' : 'ahead';
          return (
            <li key={step} className={cx('wizard__item', `wizard__item--${state}`)}>
              <button
                type="button"
                className="wizard__button"
                aria-label={`Step ${i + 1}: ${STEP_LABELS[step]}${state === 'done' ? ' (done)' : ''}`}
                aria-current={i === current ? 'step' : undefined}
                disabled={i > reached}
                onClick={() => onStep(step)}
              >
                <span className="wizard__number" aria-hidden="true">
                  {state === 'done' ? <IconCheck size={13} /> : i + 1}
                </span>
                <span className="wizard__label">{STEP_LABELS[step]}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

interface StepFooterProps {
  onBack?: () => void;
  next?: { label: string; onClick: () => void; disabled?: boolean; hint?: string };
  /** Instead of a Next button (the last step). */
  end?: ReactNode;
}

function StepFooter({ onBack, next, end }: StepFooterProps) {
  return (
    <div className="wizard__footer">
      {onBack && <Button onClick={onBack}>Back</Button>}
      <span className="wizard__spacer" />
      {next?.hint && next.disabled && <span className="small muted">{next.hint}</span>}
      {next && (
        <Button variant="primary" onClick={next.onClick} disabled={next.disabled}>
          {next.label}
        </Button>
      )}
      {end}
    </div>
  );
}

interface ModelStepProps {
  choices: readonly ModelSummary[];
  choicesLoading: boolean;
  choicesError: AppErrorData | null;
  onRetryChoices: () => void;
  model: string | null;
  version: number | null;
  onChoose: (model: string, version: number | null) => void;
  plan: BundlePlan | null;
  planLoading: boolean;
  planError: AppErrorData | null;
  onRetryPlan: () => void;
  onNext: () => void;
}

function ModelStep({ choices, choicesLoading, choicesError, onRetryChoices, model, version, onChoose, plan, planLoading, planError, onRetryPlan, onNext }: ModelStepProps) {
  if (choicesError) return <LoadProblem error={choicesError} title="Could not load the models" onRetry={onRetryChoices} />;
  if (choices.length === 0) {
    if (choicesLoading) return <LoadingLine>Loading the models…</LoadingLine>;
    return (
      <EmptyState
        icon={<IconCpu size={28} />}
        title="No models to package"
        actions={
          <a className="btn btn--primary" href="#/models">
            Go to Models
          </a>
        }
      >
        <p>A bundle packages a registered model version. Register the trained model in Models first; its environment pins the libraries.</p>
      </EmptyState>
    );
  }
  const summary = choices.find((m) => m.name === model) ?? null;
  const latest = summary?.latestVersion ?? 0;
  return (
    <>
      <Panel headingId="wizard-model-heading" title="Model version" level={3}>
        <div className="bundle-panel__body">
          <div className="form__grid wizard__pair">
            <SelectField label="Model" value={model ?? ''} onChange={(e) => onChoose(e.target.value, null)}>
              {choices.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </SelectField>
            <SelectField label="Version" value={version === null ? 'latest' : String(version)} onChange={(e) => onChoose(model!, e.target.value === 'latest' ? null : Number(e.target.value))} disabled={!summary}>
              <option value="latest">{summary ? `Latest (v${latest})` : '—'}</option>
              {Array.from({ length: Math.max(0, latest - 1) }, (_, i) => latest - 1 - i).map((v) => (
                <option key={v} value={v}>
                  Version {v}
                </option>
              ))}
            </SelectField>
          </div>
          {planError ?
            <LoadProblem error={planError} title={`Could not read what ${model} needs`} onRetry={onRetryPlan} />
          : !plan ?
            planLoading && <LoadingLine>Reading what {model} needs…</LoadingLine>
          : <PlanFacts plan={plan} />}
        </div>
      </Panel>
      <StepFooter next={{ label: 'Next: base image', onClick: onNext, disabled: !plan, hint: 'Choose a model version.' }} />
    </>
  );
}

/** The environment and Python the bundle pins, the engine, and any bundle already written. */
function PlanFacts({ plan }: { plan: BundlePlan }) {
  const env = plan.environment;
  return (
    <>
      <div role="group" aria-label="What the bundle is made from" className="wizard__plan">
        <dl className="bundle-facts">
          <div>
            <dt>Environment</dt>
            <dd>
              {env ?
                <a href={environmentHref(env.name, { version: env.version })}>
                  {env.name} v{env.version}
                </a>
              : <span className="muted">none recorded</span>}
            </dd>
          </div>
          <div>
            <dt>Python</dt>
            <dd>{env?.python ?? <span className="muted">unknown</span>}</dd>
          </div>
          <div>
            <dt>Packages</dt>
            <dd>{env ? plural(env.packages, 'package') : '—'}</dd>
          </div>
          <div>
            <dt>Container engine</dt>
            <dd>{plan.dockerAvailable ? <Badge tone="success">available</Badge> : <Badge tone="warning">not answering</Badge>}</dd>
          </div>
        </dl>
      </div>
      {!env && (
        <ErrorBanner
          title="No environment recorded"
          error={{ message: `${plan.model.name} v${plan.model.version} has no environment, so its libraries cannot be pinned.`, remedy: 'Register the model again with the Python it was trained in (the Environment choice of the register form).' }}
        />
      )}
      {plan.existing && (
        <p className="wizard__note" role="note">
          A bundle of {plan.model.name} v{plan.model.version} was written <Timestamp value={plan.existing.createdAt} /> (<StatusBadge status={plan.existing.status} />
          ). Writing it again replaces it whole; <a href={bundleHref(plan.existing.name, { version: plan.existing.version })}>open it</a> to see it as it is.
        </p>
      )}
    </>
  );
}

function OptionsStep({ wizard, plan, onChange, onBack, onNext }: { wizard: BundleWizard; plan: BundlePlan; onChange: (change: Partial<BundleWizard>) => void; onBack: () => void; onNext: () => void }) {
  const listId = useId();
  const tolerance = parseTolerance(wizard.tolerance);
  const suggestions = plan.localImages.slice(0, 8);
  return (
    <>
      <Panel headingId="wizard-options-heading" title="How the image is made" level={3}>
        <form
          className="bundle-panel__body form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!tolerance.problem) onNext();
          }}
          noValidate
        >
          <TextField
            label="Base image"
            name="baseImage"
            placeholder={plan.defaultBaseImage}
            list={listId}
            autoComplete="off"
            spellCheck={false}
            value={wizard.baseImage}
            onChange={(e) => onChange({ baseImage: e.target.value })}
            hint={
              <>
                Leave it empty for <code>{plan.defaultBaseImage}</code>
                {plan.environment?.python ? `, the slim image of the environment’s Python ${plan.environment.python}` : ''}.
              </>
            }
          />
          <datalist id={listId}>
            {plan.localImages.map((image) => (
              <option key={image} value={image} />
            ))}
          </datalist>
          {suggestions.length > 0 && (
            <div className="wizard__suggestions" role="group" aria-label="Images on this machine">
              <span className="small muted">On this machine:</span>
              {suggestions.map((image) => (
                <button key={image} type="button" className={cx('chip mono', wizard.baseImage === image && 'is-selected')} aria-pressed={wizard.baseImage === image} onClick={() => onChange({ baseImage: image })}>
                  {image}
                </button>
              ))}
            </div>
          )}
          {plan.localImages.length === 0 && <p className="small muted">{plan.dockerAvailable ? 'No Python-like images on this machine yet; the engine pulls the base image when it builds.' : 'No container engine answered, so no local images are offered.'}</p>}

          <fieldset className="fieldset">
            <legend className="field__label">How the libraries get into the image</legend>
            <div className="wizard__strategies">
              {BUNDLE_STRATEGIES.map((s) => (
                <label key={s} className={cx('strategy', wizard.strategy === s && 'is-selected')}>
                  <input type="radio" name="strategy" value={s} checked={wizard.strategy === s} onChange={() => onChange({ strategy: s })} />
                  <span className="strategy__text">
                    <span className="strategy__name">{STRATEGY_DISPLAY[s].label}</span>
                    <span className="strategy__explanation small muted">{STRATEGY_DISPLAY[s].explanation}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <TextField
            label="Golden tolerance"
            name="tolerance"
            inputMode="decimal"
            autoComplete="off"
            className="wizard__tolerance"
            value={wizard.tolerance}
            error={tolerance.problem}
            onChange={(e) => onChange({ tolerance: e.target.value })}
            hint="The largest absolute difference allowed between a golden probability or value and the container’s answer. Labels must match exactly."
          />
          <button type="submit" hidden />
        </form>
      </Panel>
      <StepFooter onBack={onBack} next={{ label: 'Next: write the bundle', onClick: onNext, disabled: tolerance.problem !== null, hint: 'Fix the tolerance first.' }} />
    </>
  );
}

interface WriteStepProps {
  wizard: BundleWizard;
  plan: BundlePlan;
  detail: BundleDetail | null;
  /** Writing starts: the steps after this one are to be done again. */
  onWritten: () => void;
  onBack: () => void;
  onNext: () => void;
}

function WriteStep({ wizard, plan, detail, onWritten, onBack, onNext }: WriteStepProps) {
  const createBundle = useAppStore((s) => s.createBundle);
  const dismiss = useAppStore((s) => s.dismissBundleOp);
  const { name, version } = plan.model;
  const create = useBundleOp(name, version, 'create');
  const tolerance = parseTolerance(wizard.tolerance);
  const baseImage = wizard.baseImage.trim();
  const written = create.succeeded || (plan.existing !== null && !create.start);

  const write = () => {
    if (tolerance.value === null) return;
    // A bundle written again has no image, smoke test or export yet: the later steps start over.
    onWritten();
    void createBundle(name, version, { strategy: wizard.strategy, tolerance: tolerance.value, ...(baseImage ? { baseImage } : {}) });
  };

  return (
    <>
      <Panel
        headingId="wizard-write-heading"
        title="The bundle"
        level={3}
        aside={
          <div className="panel__aside">
            <Button variant={written ? 'secondary' : 'primary'} size="sm" onClick={write} busy={create.starting} disabled={create.running || tolerance.problem !== null}>
              {written ? 'Write again' : 'Write the bundle'}
            </Button>
          </div>
        }
      >
        <div className="bundle-panel__body">
          <div role="group" aria-label="What will be written">
            <dl className="bundle-facts">
              <div>
                <dt>Model</dt>
                <dd>
                  {name} v{version}
                </dd>
              </div>
              <div>
                <dt>Base image</dt>
                <dd className="mono">{baseImage || plan.defaultBaseImage}</dd>
              </div>
              <div>
                <dt>Strategy</dt>
                <dd>{STRATEGY_DISPLAY[wizard.strategy].label}</dd>
              </div>
              <div>
                <dt>Tolerance</dt>
                <dd className="mono">{wizard.tolerance}</dd>
              </div>
            </dl>
          </div>
          {!create.start && plan.existing && (
            <p className="wizard__note" role="note">
              Shown below: the bundle already written for this version. Write it again to apply these choices; the old one is replaced whole.
            </p>
          )}
          {!create.start && !plan.existing && (
            <p className="muted">
              Writes the Dockerfile, the serving app, the generated tests, the monitoring files, the model card, Compose and Kubernetes files and a signed
              manifest into the workspace’s bundles folder, then marks the model version as bundled (its card and metrics can no longer change).
            </p>
          )}
          {create.running && <JobProgress job={create.job} label="Writing the bundle" cancelLabel="Cancel writing the bundle" />}
          {create.failure && <ErrorBanner title="Could not write the bundle" error={create.failure} onDismiss={() => dismiss(name, version, 'create')} />}
          {create.cancelled && <p className="muted small">Cancelled; the bundle folder was left as it was.</p>}
          {detail && !create.running && (
            <p className="wizard__written">
              <IconCheck /> Written to <bdi className="mono">{detail.path}</bdi> · {plural(detail.files.length, 'file')} · signed by key{' '}
              <code className="sha" title={detail.signatureFingerprint}>
                {detail.signatureFingerprint.slice(0, 16)}…
              </code>
            </p>
          )}
        </div>
      </Panel>
      {detail && !create.running && (
        <Panel headingId="wizard-files-heading" title="Review the files" level={3} note="The Dockerfile first; choose any file to read it." className="wizard__files">
          <FileViewer name={detail.name} version={detail.version} files={detail.files} manifestSha256={detail.manifestSha256} />
        </Panel>
      )}
      <StepFooter onBack={onBack} next={{ label: 'Next: build', onClick: onNext, disabled: !detail || create.running, hint: 'Write the bundle first.' }} />
    </>
  );
}

/** The steps after writing need the bundle; until it has loaded, say so. */
function NeedsBundle({ detail, plan, onWrite, children }: { detail: BundleDetail | null; plan: BundlePlan | null; onWrite: () => void; children: (detail: BundleDetail) => ReactNode }) {
  const status = useAppStore((s) => s.bundleStatus);
  const error = useAppStore((s) => s.bundleError);
  const loadBundle = useAppStore((s) => s.loadBundle);
  if (detail) return children(detail);
  if (plan && (plan.existing || status === 'loading') && !error) return <LoadingLine>Loading the bundle…</LoadingLine>;
  return (
    <>
      {error && error.code !== 'NOT_FOUND' && plan && (
        <LoadProblem error={error} title="Could not load the bundle" onRetry={() => void loadBundle(plan.model.name, plan.model.version)} />
      )}
      <p className="muted">The bundle is not written yet.</p>
      <StepFooter next={{ label: 'Write the bundle', onClick: onWrite }} />
    </>
  );
}
