/**
 * One chat report: totals, then each chart with the table of its numbers behind it
 * (a <details> under every chart), and CSV export of the same numbers
 * (protocol/chat-report.ts). Shared by the project page and the admin page's site view.
 */
import type { ChatReport } from '../../../src/protocol/chat-report.js';
import { reportCsv } from '../../../src/protocol/chat-report.js';
import { Button } from '../components/Button.js';
import { duration } from './format.js';
import { TimeChart } from './TimeChart.js';
import { rt } from './strings.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <details>
      <summary>{rt.showTable}</summary>
      <div class="table-scroll">
        <table>
          <caption class="sr-only">{caption}</caption>
          <thead>
            <tr>
              {head.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) =>
                  j === 0 ? (
                    <th scope="row" key={j}>
                      {c}
                    </th>
                  ) : (
                    <td key={j}>{c}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Downloads a text file from inside the Custom UI frame (its sandbox allows downloads). */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Bars({ caption, rows, format }: { caption: string; rows: { label: string; value: number; extra?: string }[]; format?: (v: number) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table class="bars">
      <caption class="sr-only">{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td class="bar" aria-hidden="true">
              <div class="fill" style={{ width: `${(r.value / max) * 100}%` }} />
            </td>
            <td>{format ? format(r.value) : r.value}</td>
            {r.extra !== undefined ? <td>{r.extra}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Heatmap({ heatmap }: { heatmap: number[][] }) {
  const max = Math.max(1, ...heatmap.flat());
  return (
    <table class="heatmap">
      <caption class="sr-only">{rt.heatmap}</caption>
      <thead>
        <tr>
          <th scope="col">
            <span class="sr-only">{rt.weekday}</span>
          </th>
          {Array.from({ length: 24 }, (_, h) => (
            <th scope="col" key={h}>
              {h % 3 === 0 ? String(h).padStart(2, '0') : <span class="sr-only">{h}</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {heatmap.map((row, d) => (
          <tr key={d}>
            <th scope="row">{WEEKDAYS[d]}</th>
            {row.map((v, h) => (
              <td
                key={h}
                title={rt.heatCell(WEEKDAYS[d] as string, h, v)}
                style={{
                  background: v ? `rgba(var(--c-heat), ${0.15 + 0.85 * (v / max)})` : 'var(--c-heat-0)',
                  color: v / max > 0.55 ? 'var(--c-text-inverse)' : 'var(--c-text-subtle)',
                }}
              >
                {v || ''}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReportView({ report, fileName }: { report: ChatReport; fileName: string }) {
  const days = report.days.map((d) => d.date);
  const t = report.totals;
  const tiles: [string, string | number][] = [
    [rt.chats, t.chats],
    [rt.missed, t.missed],
    [rt.offline, t.offline],
    [rt.median, duration(t.medianFirstResponseSec)],
    [rt.p90, duration(t.p90FirstResponseSec)],
    [rt.rating, t.averageRating === null ? '–' : `${t.averageRating} / 5`],
  ];
  return (
    <div class="report">
      <div class="row">
        <p class="muted">{rt.periodNote(report.from, report.to, report.missedAfterMinutes)}</p>
        <span class="spacer" />
        <Button onClick={() => download(fileName, reportCsv(report))}>{rt.exportCsv}</Button>
      </div>
      {report.truncated ? <p class="muted">{rt.truncated}</p> : null}
      <div class="tiles">
        {tiles.map(([label, value]) => (
          <div class="tile" key={label}>
            <div class="value" data-tile={label}>
              {value}
            </div>
            <div class="label">{label}</div>
          </div>
        ))}
      </div>
      <div class="charts">
        <figure aria-labelledby="fig-volume">
          <figcaption id="fig-volume">{rt.volume}</figcaption>
          <TimeChart
            days={days}
            yLabel={rt.chats}
            series={[
              { label: rt.chats, colorVar: '--c-chart-1', values: report.days.map((d) => d.chats), kind: 'bars' },
              { label: rt.missed, colorVar: '--c-chart-danger', values: report.days.map((d) => d.missed), kind: 'line' },
            ]}
          />
          <Table caption={rt.volume} head={[rt.date, rt.chats, rt.missed, rt.offline]} rows={report.days.map((d) => [d.date, d.chats, d.missed, d.offline])} />
        </figure>
        <figure aria-labelledby="fig-frt">
          <figcaption id="fig-frt">{rt.firstResponse}</figcaption>
          <TimeChart
            days={days}
            yLabel={rt.seconds}
            series={[
              { label: rt.median, colorVar: '--c-chart-1', values: report.days.map((d) => d.medianFirstResponseSec), kind: 'line' },
              { label: rt.p90, colorVar: '--c-chart-2', values: report.days.map((d) => d.p90FirstResponseSec), kind: 'line' },
            ]}
          />
          <Table
            caption={rt.firstResponse}
            head={[rt.date, rt.median, rt.p90]}
            rows={report.days.map((d) => [d.date, duration(d.medianFirstResponseSec), duration(d.p90FirstResponseSec)])}
          />
        </figure>
        <figure aria-labelledby="fig-agents">
          <figcaption id="fig-agents">{rt.perAgent}</figcaption>
          {report.agents.length ? (
            <Bars caption={rt.perAgent} rows={report.agents.map((a) => ({ label: a.name, value: a.chats, extra: duration(a.medianFirstResponseSec) }))} />
          ) : (
            <p class="muted">{rt.none}</p>
          )}
          <p class="muted">{rt.perAgentNote}</p>
        </figure>
        <figure aria-labelledby="fig-heat">
          <figcaption id="fig-heat">{rt.heatmap}</figcaption>
          <Heatmap heatmap={report.heatmap} />
        </figure>
        <figure aria-labelledby="fig-ratings">
          <figcaption id="fig-ratings">{rt.ratings}</figcaption>
          {t.ratings ? (
            <Bars caption={rt.ratings} rows={[...report.ratings].reverse().map((r) => ({ label: '★'.repeat(r.rating), value: r.count }))} />
          ) : (
            <p class="muted">{rt.noRatings}</p>
          )}
        </figure>
      </div>
    </div>
  );
}
