import { ComingSoon } from '../../ui/ComingSoon.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconPackage } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';

export function BundlesView({ headingRef }: SectionProps) {
  return (
    <>
      <PageHeader
        title="Bundles"
        headingRef={headingRef}
        description="What operations receive for one model version, with its readiness report."
      />
      <EmptyState icon={<IconPackage size={28} />} title="No bundles yet">
        <p>
          A bundle packages one registered model version: a Docker image serving the Open Inference Protocol, generated tests, monitoring
          hooks, a model card, Compose and Kubernetes manifests, and a readiness report for reviewers. You package it from a model, so
          register one in <a href="#/models">Models</a> first.
        </p>
        <ComingSoon>Packaging and export arrive in a later version of Greenhouse.</ComingSoon>
      </EmptyState>
    </>
  );
}
