import type { Interval } from '../../../src/protocol/schedule.js';
import { Button } from '../../ui-kit/components/Button.js';
import { t } from './strings.js';

interface Props {
  id: string;
  interval: Interval;
  label: string;
  error?: string | undefined;
  onChange: (i: Interval) => void;
  onRemove: () => void;
  removeLabel: string;
}

export function IntervalInputs({ id, interval, label, error, onChange, onRemove, removeLabel }: Props) {
  return (
    <span class="interval row nowrap">
      <input
        type="time"
        class="input time"
        aria-label={`${label} ${t.from}`}
        id={`${id}-from`}
        value={interval.start}
        aria-invalid={error ? 'true' : undefined}
        onInput={(e) => onChange({ ...interval, start: e.currentTarget.value })}
      />
      <span aria-hidden="true">–</span>
      <input
        type="time"
        class="input time"
        aria-label={`${label} ${t.to}`}
        id={`${id}-to`}
        value={interval.end}
        aria-invalid={error ? 'true' : undefined}
        onInput={(e) => onChange({ ...interval, end: e.currentTarget.value })}
      />
      <Button compact appearance="subtle" aria-label={removeLabel} onClick={onRemove}>
        {t.remove}
      </Button>
      {error ? (
        <span class="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
