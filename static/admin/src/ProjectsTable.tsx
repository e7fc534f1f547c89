import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import type { AdminLoad } from './App.js';
import { t } from './strings.js';

export function ProjectsTable({ projects }: { projects: AdminLoad['projects'] }) {
  return (
    <section class="card" aria-labelledby="projects-h">
      <h2 id="projects-h">{t.projects}</h2>
      {projects.length === 0 ? (
        <p class="muted">{t.noProjects}</p>
      ) : (
        <table class="table projects">
          <thead>
            <tr>
              <th scope="col">{t.col.project}</th>
              <th scope="col">{t.col.chat}</th>
              <th scope="col">{t.col.online}</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.key} data-key={p.key}>
                <td>
                  <strong>{p.name}</strong> <span class="muted">{p.key}</span>
                </td>
                <td>
                  <Lozenge kind={p.chatEnabled ? 'success' : 'default'}>{p.chatEnabled ? t.chatOn : t.chatOff}</Lozenge>
                </td>
                <td class="num">{p.agentsOnline}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
