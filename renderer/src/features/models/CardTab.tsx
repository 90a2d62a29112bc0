import { useId, useState, type FormEvent } from 'react';
import { MODEL_CARD_SECTIONS, type ModelCardSection, type ModelDetail } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { renderMarkdown } from '../notebooks/markdown.js';

const SECTIONS = Object.entries(MODEL_CARD_SECTIONS) as [ModelCardSection, string][];

/** What each section is for, shown while it is empty and as the editor's hint (Mitchell et al., 2019). */
const SECTION_HINTS: Record<ModelCardSection, string> = {
  details: 'Who made it, when, which version, what kind of model, licence, where to send questions.',
  intendedUse: 'What it is for, who should use it, and uses it is not meant for.',
  factors: 'Groups, environments or instruments where its performance may differ.',
  metrics: 'Which measures are reported and why, decision thresholds, how uncertainty was estimated.',
  evaluationData: 'The data it was evaluated on, why it was chosen, how it was prepared.',
  trainingData: 'The data it was trained on, as far as it can be shared.',
  quantitativeAnalyses: 'Results, overall and per factor.',
  ethicalConsiderations: 'Sensitive data, risks and harms, and what was done about them.',
  caveats: 'What else a user should know; further tests that would help.',
};

/** The model card: nine markdown sections, each shown rendered and edited on its own. */
export function CardTab({ detail }: { detail: ModelDetail }) {
  const bundled = detail.version.bundled;
  return (
    <div className="model-card">
      {bundled ?
        <p className="model-card__note" role="note">
          Version {detail.version.version} went into a bundle, so its card can no longer change: the bundle's model-card.md must match what reviewers
          signed off. Register a new version to write a new card.
        </p>
      : <p className="model-card__note muted small">Each section is markdown. The bundle carries the card as model-card.md.</p>}
      {SECTIONS.map(([section, title]) => (
        <CardSection key={`${detail.name}@${detail.version.version}-${section}`} detail={detail} section={section} title={title} disabled={bundled} />
      ))}
    </div>
  );
}

function CardSection({ detail, section, title, disabled }: { detail: ModelDetail; section: ModelCardSection; title: string; disabled: boolean }) {
  const save = useAppStore((s) => s.saveModelCard);
  const saving = useAppStore((s) => s.modelCardSaving === section);
  const error = useAppStore((s) => (s.modelCardError?.section === section ? s.modelCardError.error : null));
  const dismiss = useAppStore((s) => s.dismissModelEditError);
  const text = detail.card[section];
  const [draft, setDraft] = useState<string | null>(null);
  const headingId = useId();
  const editorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (draft === null) return;
    if (await save(detail.name, detail.version.version, section, draft)) setDraft(null);
  };

  return (
    <section className="model-card__section" aria-labelledby={headingId} data-section={section}>
      <div className="model-card__head">
        <h2 id={headingId} className="model-card__title">
          {title}
        </h2>
        {draft === null && (
          <Button
            size="sm"
            variant="ghost"
            disabled={disabled}
            aria-label={`Edit ${title}`}
            title={disabled ? 'This version is bundled; its card can no longer change.' : undefined}
            onClick={() => setDraft(text)}
          >
            Edit
          </Button>
        )}
      </div>
      {draft === null ?
        text.trim() ?
          // Sanitised by renderMarkdown (markdown-it without raw HTML, then DOMPurify).
          <div className="nb-markdown model-card__body" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />
        : <p className="model-card__empty muted">Not written yet. {SECTION_HINTS[section]}</p>
      : <form className="form model-card__form" onSubmit={submit} noValidate>
          <label htmlFor={editorId} className="visually-hidden">
            {title} (markdown)
          </label>
          <textarea
            id={editorId}
            className="input textarea model-card__editor"
            value={draft}
            rows={8}
            placeholder={SECTION_HINTS[section]}
            onChange={(e) => setDraft(e.target.value)}
            autoFocus
          />
          {error && <ErrorBanner error={error} title={`Could not save ${title}`} onDismiss={dismiss} />}
          <div className="form__actions">
            <Button onClick={() => setDraft(null)}>Cancel</Button>
            <Button type="submit" variant="primary" busy={saving}>
              Save {title}
            </Button>
          </div>
        </form>
      }
    </section>
  );
}
