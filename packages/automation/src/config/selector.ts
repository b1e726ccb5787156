// Kubernetes label selectors, as metav1.LabelSelectorAsSelector reads them: every
// matchLabels pair and every matchExpressions requirement must hold; an empty
// selector matches everything.
import type { LabelSelector } from '../config-types.js';

/** Whether `labels` satisfy `selector`. */
export function matchesSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** What is wrong with `selector` as Kubernetes validates it, or undefined. */
export function selectorProblem(selector: LabelSelector): string | undefined {
  for (const [index, { operator, values }] of (selector.matchExpressions ?? []).entries()) {
    const count = values?.length ?? 0;
    if ((operator === 'In' || operator === 'NotIn') && count === 0) {
      return `matchExpressions[${index}]: operator ${operator} needs a non-empty values list`;
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
      return `matchExpressions[${index}]: operator ${operator} takes no values`;
    }
  }
  return undefined;
}
