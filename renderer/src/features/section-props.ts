import type { Ref } from 'react';

/** Every section view gets a ref for its heading so navigation can move focus there. */
export interface SectionProps {
  headingRef?: Ref<HTMLHeadingElement>;
}
