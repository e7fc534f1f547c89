/**
 * The packaging files (Dockerfile, deploy/compose, deploy/kubernetes) cannot be run here (no
 * container tools), so this checks what can be checked: they parse, every setting they give
 * the service passes parseConfig, the grace periods cover the drain, probes hit the health
 * endpoints, the image runs as non-root with production dependencies only, and HAProxy
 * accepts the compose balancer config with the same WebSocket timeouts `npm run cluster` uses.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { parseConfig } from '../src/presence-service/config.js';
import { haproxyConfig } from '../src/sandbox/topology/haproxy.js';

const root = resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const HAPROXY = '/usr/sbin/haproxy';
type Doc = { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };
const k8s = parseAllDocuments(read('deploy/kubernetes/presence.yaml')).map((d) => d.toJS() as Doc);
const byKind = (kind: string) => k8s.find((d) => d.kind === kind)!;

test('the Kubernetes manifests hold a Deployment, Service, Ingress, HPA and PDB for the presence service', () => {
  assert.equal(k8s.map((d) => d.kind).sort(), ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PodDisruptionBudget', 'Service']);
});

test('every setting the ConfigMap gives passes parseConfig, and the pod outlives its drain', () => {
  const data = byKind('ConfigMap').data!;
  const dir = mkdtempSync(join(tmpdir(), 'deploy-config-'));
  try {
    const config = parseConfig({
      ...data,
      DATA_DIR: dir,
      SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
      REDIS_CLUSTER_NODES: 'rediss://:pw@redis-0.redis:6379',
    });
    const pod = byKind('Deployment').spec.template.spec;
    assert.ok(pod.terminationGracePeriodSeconds * 1000 > config.drain.timeoutMs, 'terminationGracePeriodSeconds covers DRAIN_TIMEOUT_MS');
    const c = pod.containers[0];
    assert.is(c.readinessProbe.httpGet.path, '/readyz');
    assert.is(c.livenessProbe.httpGet.path, '/healthz');
    // Endpoints drop a failing pod after periodSeconds × failureThreshold: the drain waits longer.
    assert.ok(config.drain.notReadyMs >= c.readinessProbe.periodSeconds * c.readinessProbe.failureThreshold * 1000);
    assert.is(pod.securityContext.runAsNonRoot, true);
    assert.is(c.securityContext.allowPrivilegeEscalation, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Ingress keeps WebSockets open longer than the ping interval and /metrics internal', () => {
  const ann = byKind('Ingress').metadata as unknown as { annotations: Record<string, string> };
  assert.ok(Number(ann.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) > 60);
  assert.match(ann.annotations['nginx.ingress.kubernetes.io/server-snippet']!, 'location = /metrics');
});

test('the image builds the widget and the service bundle, installs production dependencies only and runs as node', () => {
  const docker = read('Dockerfile');
  const final = docker.slice(docker.lastIndexOf('\nFROM '));
  assert.match(docker, 'npm ci --omit=dev');
  assert.match(final, 'USER node');
  assert.match(final, 'static/widget/build');
  assert.match(final, 'dist/presence-service/main.mjs');
  assert.not.match(final, 'npm ci\n');
});

test('the bundle imports only production dependencies', () => {
  const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
  const bundle = join(root, 'dist/presence-service/main.mjs');
  if (!existsSync(bundle)) execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), 'presence'], { cwd: root });
  const imported = new Set(
    [...readFileSync(bundle, 'utf8').matchAll(/(?:from |import\()"([^".][^"]*)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith('node:')),
  );
  for (const spec of imported) {
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    assert.ok(name in pkg.dependencies, `${name} is a production dependency`);
  }
});

test('compose: the presence replicas get a grace period over the drain; HAProxy accepts the balancer config', () => {
  const compose = parse(read('deploy/compose/compose.yaml')) as { services: Record<string, any> };
  assert.ok(parseInt(compose.services.presence.stop_grace_period, 10) * 1000 > 25_000);
  const cfg = read('deploy/compose/haproxy.cfg');
  for (const line of ['timeout tunnel 1h', 'option httpchk GET /readyz', 'deny deny_status 404 if { path /metrics }']) {
    assert.match(cfg, line);
    assert.match(haproxyConfig(1, [{ name: 'a', port: 2 }]), line, `npm run cluster uses ${line} too`);
  }
  if (existsSync(HAPROXY)) execFileSync(HAPROXY, ['-c', '-q', '-f', join(root, 'deploy/compose/haproxy.cfg')]);
});

test.run();
