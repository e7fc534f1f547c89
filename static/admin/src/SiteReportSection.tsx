/** The site-wide chat report (every service project), for Jira administrators. */
import { call } from '../../ui-kit/bridge.js';
import { ReportPage } from '../../ui-kit/reports/ReportPage.js';
import { t } from './strings.js';

export function SiteReportSection() {
  return (
    <section class="card" aria-labelledby="site-report-h">
      <h2 id="site-report-h">{t.siteReport}</h2>
      <ReportPage
        fileName="chat-report-site"
        load={(p) => call('reports.site', p)}
        extra={(r) => (
          <table class="projects-report">
            <caption>{t.siteReportProjects}</caption>
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <th scope="col">{t.chatsCol}</th>
                <th scope="col">{t.missedCol}</th>
              </tr>
            </thead>
            <tbody>
              {r.projects.map((p) => (
                <tr key={p.key} data-key={p.key}>
                  <th scope="row">{p.key}</th>
                  <td>{p.chats}</td>
                  <td>{p.missed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      />
    </section>
  );
}
