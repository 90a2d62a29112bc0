import { useEffect, useRef, type Ref } from 'react';

/** When `value` changes (another item is opened), focus moves to the heading, as changing sections does. */
export function useFocusOnChange(value: unknown, headingRef: Ref<HTMLHeadingElement> | undefined) {
  const previous = useRef(value);
  useEffect(() => {
    if (previous.current === value) return;
    previous.current = value;
    const heading = headingRef && 'current' in headingRef ? headingRef.current : null;
    heading?.focus();
  }, [value, headingRef]);
}
