// The ops console: Preact + htm (no build step), Chart.js; everything served by the api from node_modules.
// It speaks only to the ops API of this origin, with the ops key as a Bearer token kept in sessionStorage.
import { h, render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { fmtMoney as formatMoney, toMajor } from './money.js';

const html = htm.bind(h);
const EVENT_TYPES = ['DAMAGED', 'WRONG_ITEM', 'LOST', 'QUALITY_ISSUE', 'LATE_DELIVERY'];
const TERMINAL = ['COMPLETED', 'RESOLVED', 'CANCELLED', 'CLOSED', 'ABANDONED'];

// ---------------------------------------------------------------- API client

const session = {
  get key() { return sessionStorage.getItem('ops.key') || ''; },
  get actor() { return sessionStorage.getItem('ops.actor') || ''; },
  save(key, actor) { sessionStorage.setItem('ops.key', key); sessionStorage.setItem('ops.actor', actor); },
  clear() { sessionStorage.removeItem('ops.key'); },
};

const authHeaders = () => ({ Authorization: `Bearer ${session.key}`, ...(session.actor ? { 'X-Ops-Actor': session.actor } : {}) });

// Errors are RFC 9457 problem details: `detail` says what went wrong, `errors` names each refused field.
class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, { method = 'GET', body, idempotencyKey } = {}) {
  const headers = { ...authHeaders(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// false is a value (open=false: closed cases only); only absent values are left out
const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== null)).toString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- formatting

const fmtTime = (t) => (t ? new Date(t).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '—');
// ISO 4217 digits per currency, loaded once before the first render.
let DIGITS = {};
const fmtMoney = (minor, currency) => formatMoney(minor, currency, DIGITS);
function fmtDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.abs(ms) / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}
const ago = (t) => (t ? `${fmtDuration(Date.now() - new Date(t).getTime())} ago` : '—');
const short = (id) => (id ? id.slice(0, 8) : '');
const stateClass = (s) => (s === 'ESCALATED' ? 'bad' : TERMINAL.includes(s) ? 'done' : s === 'PENDING' ? 'muted' : 'busy');

// ---------------------------------------------------------------- live updates (SSE over fetch: headers carry the key)

function parseFrame(frame) {
  let event = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trim());
  }
  if (!data.length) return null;
  try { return { event, data: JSON.parse(data.join('\n')) }; } catch { return null; }
}

function useLive(onEvent) {
  const [status, setStatus] = useState('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    let stopped = false;
    let ctrl;
    (async () => {
      for (let attempt = 0; !stopped; attempt++) {
        ctrl = new AbortController();
        try {
          const res = await fetch('/ops/stream', { headers: authHeaders(), signal: ctrl.signal });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += value;
            for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
              const ev = parseFrame(buf.slice(0, i));
              buf = buf.slice(i + 2);
              if (!ev) continue;
              if (ev.event === 'hello') { setStatus('live'); attempt = 0; } else handler.current(ev);
            }
          }
        } catch {
          if (stopped) return;
        }
        setStatus('reconnecting');
        await sleep(Math.min(500 * 2 ** attempt, 10_000));
      }
    })();
    return () => { stopped = true; ctrl?.abort(); };
  }, []);
  return status;
}

/** Calls fn at most once per `ms`, trailing. */
function useDebounced(fn, ms) {
  const t = useRef();
  const f = useRef(fn);
  f.current = fn;
  return useCallback(() => { clearTimeout(t.current); t.current = setTimeout(() => f.current(), ms); }, [ms]);
}

// ---------------------------------------------------------------- sign-in

function Login({ onDone }) {
  const [key, setKey] = useState('');
  const [actor, setActor] = useState(session.actor);
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    session.save(key.trim(), actor.trim());
    try {
      await api('/ops/cases?limit=1');
      onDone();
    } catch (err) {
      session.clear();
      setError(err.status === 401 ? 'That key was not accepted.' : err.message);
    }
  };
  return html`<form class="login card" onSubmit=${submit} data-testid="login">
    <h1>Returns ops console</h1>
    <p>Paste your ops API key (<code>ops_…</code>, returned once when the tenant was created). It is kept in this browser tab only.</p>
    <label>Ops key <input type="password" autocomplete="off" value=${key} onInput=${(e) => setKey(e.target.value)} data-testid="login-key" required /></label>
    <label>Your name (for the audit trail) <input value=${actor} onInput=${(e) => setActor(e.target.value)} data-testid="login-actor" /></label>
    ${error && html`<p class="error">${error}</p>`}
    <button type="submit" data-testid="login-submit">Open console</button>
  </form>`;
}

// ---------------------------------------------------------------- charts

function ChartCard({ title, config, footer, testid, legend }) {
  const canvas = useRef();
  const chart = useRef();
  useEffect(() => {
    if (!window.Chart || !canvas.current) return;
    if (chart.current) {
      chart.current.data = config.data;
      chart.current.update('none');
    } else {
      chart.current = new window.Chart(canvas.current, { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: legend ?? false, position: 'bottom', labels: { boxWidth: 10 } } }, ...config.options } });
    }
  }, [JSON.stringify(config.data)]);
  useEffect(() => () => chart.current?.destroy(), []);
  return html`<div class="card chart" data-testid=${testid}><h3>${title}</h3><div class="canvas"><canvas ref=${canvas}></canvas></div>${footer && html`<p class="foot">${footer}</p>`}</div>`;
}

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569'];

function Figures({ figures }) {
  if (!figures) return html`<section class="figures"><p class="muted">Loading figures…</p></section>`;
  const byState = {};
  for (const r of figures.openByState) byState[r.state] = (byState[r.state] || 0) + r.count;
  const states = Object.keys(byState);
  const ttr = figures.timeToResolution;
  const ttrRows = [{ eventType: 'all', p50Seconds: ttr.p50Seconds, p90Seconds: ttr.p90Seconds }, ...ttr.byEventType];
  const ttrMax = Math.max(0, ...ttrRows.map((r) => r.p90Seconds ?? 0));
  const [unit, per] = ttrMax < 120 ? ['seconds', 1] : ttrMax < 7200 ? ['minutes', 60] : ttrMax < 172800 ? ['hours', 3600] : ['days', 86400];
  const succeeded = figures.refunds.byStatus.filter((r) => r.status === 'SUCCEEDED');
  const failed = figures.refunds.byStatus.filter((r) => r.status === 'FAILED').reduce((s, r) => s + r.count, 0);
  const days = figures.refunds.byDay;
  const rec = figures.supplierRecovery;
  return html`<section class="figures">
    <${ChartCard} testid="chart-open" title=${`Open cases by state (${Object.values(byState).reduce((a, b) => a + b, 0)})`}
      config=${{ type: 'bar', data: { labels: states, datasets: [{ data: states.map((s) => byState[s]), backgroundColor: states.map((s) => (s === 'ESCALATED' ? '#dc2626' : '#2563eb')) }] }, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } }} />
    <${ChartCard} testid="chart-ttr" title=${`Time to resolution (${unit})`} legend=${true}
      footer=${`p50 ${fmtDuration(ttr.p50Seconds === null ? null : ttr.p50Seconds * 1000)} · p90 ${fmtDuration(ttr.p90Seconds === null ? null : ttr.p90Seconds * 1000)} · ${ttr.closed} closed in ${figures.windowDays} d`}
      config=${{ type: 'bar', data: { labels: ttrRows.map((r) => r.eventType), datasets: [
        { label: 'p50', data: ttrRows.map((r) => (r.p50Seconds ?? 0) / per), backgroundColor: '#16a34a' },
        { label: 'p90', data: ttrRows.map((r) => (r.p90Seconds ?? 0) / per), backgroundColor: '#d97706' }] } }} />
    <${ChartCard} testid="chart-refunds" title="Refunds paid per day"
      footer=${`${succeeded.map((r) => `${r.count} paid, ${fmtMoney(r.amountMinor, r.currency)}`).join(' · ') || 'none paid'}${failed ? ` · ${failed} failed` : ''}`}
      config=${{ type: 'bar', data: { labels: days.map((d) => d.day), datasets: [{ data: days.map((d) => toMajor(d.amountMinor, d.currency, DIGITS)), backgroundColor: '#0891b2' }] } }} />
    <${ChartCard} testid="chart-recovery" title="Supplier recovery rate (%)"
      footer=${rec.map((r) => `${r.name}: ${fmtMoney(r.grantedMinor, r.currency)} of ${fmtMoney(r.requestedMinor, r.currency)}`).join(' · ') || 'no credit requested yet'}
      config=${{ type: 'bar', data: { labels: rec.map((r) => r.name), datasets: [{ data: rec.map((r) => Math.round(r.recoveryRate * 100)), backgroundColor: '#7c3aed' }] }, options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 } } } }} />
    <${ChartCard} testid="chart-reasons" title="Returns by event type" legend=${true}
      footer=${figures.returnsByReason.length ? `Top reasons: ${figures.returnsByReason.slice(0, 3).map((r) => `"${r.reason}" ×${r.count}`).join(' · ')}` : ''}
      config=${{ type: 'doughnut', data: { labels: figures.returnsByEventType.map((r) => r.eventType), datasets: [{ data: figures.returnsByEventType.map((r) => r.count), backgroundColor: PALETTE }] } }} />
    <${ChartCard} testid="chart-suppliers" title="Returns by supplier"
      footer=${figures.returnsBySupplier.map((r) => `${r.name}: ${r.count}`).join(' · ')}
      config=${{ type: 'bar', data: { labels: figures.returnsBySupplier.map((r) => r.name), datasets: [{ data: figures.returnsBySupplier.map((r) => r.count), backgroundColor: '#475569' }] }, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } }} />
  </section>`;
}

// ---------------------------------------------------------------- confirmation dialog

/** Every action goes through here: what will happen, a required reason, then Confirm. One Idempotency-Key per dialog. */
function ConfirmDialog({ dialog, onClose, onDone }) {
  const [values, setValues] = useState(() => Object.fromEntries((dialog.fields || []).map((f) => [f.name, f.value ?? ''])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const key = useMemo(() => crypto.randomUUID(), [dialog]);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const result = await dialog.run(values, key);
      onDone(dialog, result);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`<div class="overlay" onClick=${(e) => e.target === e.currentTarget && onClose()}>
    <form class="dialog card" onSubmit=${submit} data-testid="confirm-dialog">
      <h2>${dialog.title}</h2>
      <p>${dialog.description}</p>
      ${(dialog.fields || []).map((f) => html`<label>${f.label}
        ${f.type === 'select'
          ? html`<select value=${values[f.name]} onChange=${(e) => setValues({ ...values, [f.name]: e.target.value })} data-testid=${`confirm-${f.name}`}>${f.options.map((o) => html`<option value=${o}>${o}</option>`)}</select>`
          : f.type === 'textarea'
            ? html`<textarea rows="3" required=${f.required !== false} value=${values[f.name]} onInput=${(e) => setValues({ ...values, [f.name]: e.target.value })} data-testid=${`confirm-${f.name}`}></textarea>`
            : html`<input type=${f.type || 'text'} required=${f.required !== false} value=${values[f.name]} onInput=${(e) => setValues({ ...values, [f.name]: e.target.value })} data-testid=${`confirm-${f.name}`} />`}
      </label>`)}
      ${error && html`<p class="error" data-testid="confirm-error">${error}</p>`}
      <div class="row end">
        <button type="button" class="ghost" onClick=${onClose} data-testid="confirm-back">${dialog.confirm ? 'Back' : 'Close'}</button>
        ${dialog.confirm && html`<button type="submit" class=${dialog.danger ? 'danger' : ''} disabled=${busy} data-testid="confirm-submit">${busy ? 'Sending…' : dialog.confirm}</button>`}
      </div>
    </form>
  </div>`;
}

const reasonField = (label = 'Why (kept in the audit trail)') => ({ name: 'reason', label, type: 'textarea' });

function actionDialogs(c) {
  const post = (path, body, key) => api(`/ops/cases/${c.returnId}/${path}`, { method: 'POST', body, idempotencyKey: key });
  return {
    RETRY: { title: 'Retry the failed step', description: `The case is ${c.state}: ${c.escalation || 'a step failed'}. The orchestrator repeats the step (a refund is retried with the same refund id, so the customer is never paid twice).`, confirm: 'Confirm retry', fields: [reasonField()], run: (v, k) => post('retry', { reason: v.reason }, k) },
    CANCEL: { title: 'Cancel the case', danger: true, description: 'Every deadline of the case stops: no more reminders, escalations or supplier requests. A refund already paid stays paid.', confirm: 'Confirm cancel', fields: [reasonField()], run: (v, k) => post('cancel', { reason: v.reason }, k) },
    RESOLVE: { title: 'Resolve by hand', description: 'Closes the case as RESOLVED; the customer gets the feedback request later.', confirm: 'Confirm resolve', fields: [{ name: 'outcome', label: 'Outcome (what was agreed)', required: false }, reasonField()], run: (v, k) => post('resolve', { reason: v.reason, outcome: v.outcome || undefined }, k) },
    NOTE: { title: 'Add a note', description: 'Shown on the timeline for everyone working this case.', confirm: 'Add note', fields: [{ name: 'text', label: 'Note', type: 'textarea' }], run: (v, k) => post('notes', { text: v.text }, k) },
    SUPPLIER_DECISION: (claim) => ({
      title: `Record ${claim.supplierName || 'the supplier'}'s decision`, description: 'As if the supplier had answered through its callback; recorded with via = OPS.', confirm: 'Record decision',
      fields: [{ name: 'decision', label: 'Decision', type: 'select', options: ['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'NEEDS_EVIDENCE', 'REPLACEMENT_SHIPPED'], value: 'APPROVED' },
        { name: 'amountMinor', label: 'Amount granted (minor units; empty = as claimed)', type: 'number', required: false, value: String(claim.claimMinor) },
        { name: 'detail', label: 'Reason / tracking number (when the decision needs one)', required: false },
        { name: 'note', label: 'How you heard it', type: 'textarea' }],
      run: (v, k) => post('supplier-decision', {
        supplierId: claim.supplierId, decision: v.decision, note: v.note,
        ...(v.amountMinor !== '' && ['APPROVED', 'PARTIALLY_APPROVED'].includes(v.decision) ? { amountMinor: Number(v.amountMinor) } : {}),
        ...(v.detail && v.decision === 'REPLACEMENT_SHIPPED' ? { trackingNumber: v.detail } : v.detail ? { reason: v.detail } : {}),
      }, k),
    }),
    REDELIVER: (d) => ({ title: 'Redeliver the webhook', description: `Sends ${d.deliveryId} to ${d.url} again, with the same webhook-id (status now ${d.status}, ${d.attempts} attempts).`, confirm: 'Confirm redeliver', fields: [reasonField()], run: (v, k) => post('redeliver', { deliveryId: d.deliveryId, reason: v.reason }, k) }),
  };
}

// ---------------------------------------------------------------- case detail

function Timeline({ returnId, first }) {
  const [items, setItems] = useState(first.items);
  const [cursor, setCursor] = useState(first.nextCursor);
  useEffect(() => { setItems(first.items); setCursor(first.nextCursor); }, [first]);
  const more = async () => {
    const page = await api(`/ops/cases/${returnId}/timeline?${qs({ cursor })}`);
    setItems([...items, ...page.items]);
    setCursor(page.nextCursor);
  };
  return html`<ol class="timeline" data-testid="timeline">
    ${items.map((e) => html`<li class=${`tl-${e.kind}`} key=${e.key}><time>${fmtTime(e.at)}</time> <b>${e.kind.replace('_', ' ')}</b> ${describe(e)}</li>`)}
    ${cursor && html`<li><button class="ghost" onClick=${more}>Load more</button></li>`}
  </ol>`;
}

function describe(e) {
  const d = e.data;
  switch (e.kind) {
    case 'reported': return `${d.eventType}${d.reason ? `: ${d.reason}` : ''} (${d.resolution})${d.notRecoverable ? ` — not recoverable: ${d.notRecoverable}` : ''}`;
    case 'transition': return `${d.from} → ${d.to} on ${d.cause}${d.effects?.length ? ` ⇒ ${d.effects.join(', ')}` : ''}`;
    case 'supplier_request': return `${d.requestKind} request ${short(d.requestId)} to supplier ${short(d.supplierId)}`;
    case 'webhook_attempt': return `${d.ok ? '✓' : '✗'} ${d.statusCode ?? d.error ?? 'no answer'} in ${d.latencyMs} ms (${d.deliveryId})`;
    case 'supplier_answer': return `${d.answer?.decision}${d.answer?.amountMinor !== undefined ? ` ${d.answer.amountMinor}` : ''}${d.answer?.reason ? `: ${d.answer.reason}` : ''}`;
    case 'refund': return `${d.purpose} ${fmtMoney(d.amountMinor, d.currency)} — ${d.status}${d.lastError ? ` (${d.lastError})` : ''}, ${d.attempts} attempt(s)`;
    case 'notification': return `${d.template} to ${d.to}: "${d.subject}" — ${d.status}`;
    case 'ops_action': return `${d.action} by ${d.actor}: ${d.reason}${d.batchId ? ' (batch)' : ''}`;
    case 'note': return `${d.actor}: ${d.reason}`;
    case 'alert': return `${d.alert} in ${d.state}: ${d.reason}${d.clearedAt ? ' (cleared)' : ''}`;
    default: return JSON.stringify(d);
  }
}

function Detail({ detail, onAction, onClose }) {
  const c = detail;
  const dialogs = actionDialogs(c);
  const can = (a) => c.availableActions.includes(a);
  return html`<section class="card detail" data-testid="detail" data-state=${c.state}>
    <header class="row">
      <h2>${c.externalOrderId.replace('gid://shopify/Order/', 'Order ')} · ${c.eventType}</h2>
      <span class=${`badge ${stateClass(c.state)}`} data-testid="detail-state">${c.state}</span>
      ${c.stuck && html`<span class="badge bad" title=${c.stuckReason}>stuck</span>`}
      ${c.notRecoverable && html`<span class="badge warn" title=${c.notRecoverableReason || ''}>not recoverable</span>`}
      <button class="ghost close" onClick=${onClose} title="Close">×</button>
    </header>
    <p class="muted">Return ${c.returnId} · saga ${c.sagaId || '—'} · reported ${fmtTime(c.reportedAt)}</p>
    ${c.escalation && (c.state === 'ESCALATED'
      ? html`<p class="escalation" data-testid="escalation">⚠ ${c.escalation}</p>`
      : html`<p class="muted">Escalated earlier: ${c.escalation}</p>`)}
    ${c.stuck && html`<p class="escalation">⏱ ${c.stuckReason}</p>`}

    <div class="actions" data-testid="actions">
      ${['RETRY', 'CANCEL', 'RESOLVE'].map((a) => html`<button disabled=${!can(a)} class=${a === 'CANCEL' ? 'danger' : ''} onClick=${() => onAction(dialogs[a])} data-testid=${`action-${a.toLowerCase()}`}>${a[0] + a.slice(1).toLowerCase()}</button>`)}
      <button class="ghost" onClick=${() => onAction(dialogs.NOTE)} data-testid="action-note">Add note</button>
    </div>

    <h3>Current step</h3>
    <table class="kv"><tbody>
      <tr><th>State</th><td>${c.currentStep.state} since ${fmtTime(c.currentStep.since)} (${ago(c.currentStep.since)})</td></tr>
      <tr><th>Expected by</th><td>${c.currentStep.expectedBy ? fmtTime(c.currentStep.expectedBy) : '—'}</td></tr>
      ${c.currentStep.deadlines.filter((d) => d.status === 'PENDING').map((d) => html`<tr><th>Deadline</th><td class=${d.overdue ? 'error' : ''}>${d.timer} at ${fmtTime(d.at)}${d.overdue ? ' — overdue' : ''}</td></tr>`)}
    </tbody></table>

    ${c.claims.length > 0 && html`<h3>Supplier claims</h3>
    <table><thead><tr><th>Supplier</th><th>Status</th><th>Claimed</th><th>Granted</th><th></th></tr></thead><tbody>
      ${c.claims.map((cl) => html`<tr><td>${cl.supplierName}</td><td>${cl.status}${cl.reason ? ` (${cl.reason})` : ''}</td><td>${fmtMoney(cl.claimMinor, c.amounts?.currency)}</td><td>${fmtMoney(cl.grantedMinor, c.amounts?.currency)}</td>
        <td>${cl.canRecordDecision && html`<button class="small" onClick=${() => onAction(dialogs.SUPPLIER_DECISION(cl))} data-testid="action-supplier-decision">Record decision</button>`}</td></tr>`)}
    </tbody></table>`}

    ${c.deliveries.length > 0 && html`<h3>Webhook deliveries</h3>
    <table><thead><tr><th>Delivery</th><th>Status</th><th>Attempts</th><th>Last</th><th></th></tr></thead><tbody>
      ${c.deliveries.map((d) => html`<tr><td title=${d.url}>${d.deliveryId.slice(0, 14)}…</td><td>${d.status}</td><td>${d.attempts}</td>
        <td>${d.lastAttempt ? `${d.lastAttempt.status_code ?? d.lastAttempt.error ?? '—'} ${ago(d.lastAttempt.at)}` : '—'}</td>
        <td>${d.canRedeliver && html`<button class="small" onClick=${() => onAction(dialogs.REDELIVER(d))} data-testid="action-redeliver">Redeliver</button>`}</td></tr>`)}
    </tbody></table>`}

    ${c.amounts && html`<h3>Ledger</h3>
    <table><tbody>
      ${c.ledger.map((l) => html`<tr><td>${l.kind}</td><td class="num">${fmtMoney(l.amountMinor, l.currency)}</td><td class="muted">${fmtTime(l.at)}</td></tr>`)}
      <tr class="total"><td>Net cost</td><td class="num" data-testid="net-cost">${fmtMoney(c.amounts.netCostMinor, c.amounts.currency)}</td><td class="muted">refunded ${fmtMoney(c.amounts.refundedMinor, c.amounts.currency)}, recovered ${fmtMoney(c.amounts.supplierCreditGrantedMinor, c.amounts.currency)}</td></tr>
    </tbody></table>`}

    <h3>Timeline</h3>
    <${Timeline} returnId=${c.returnId} first=${c.timeline} />
  </section>`;
}

// ---------------------------------------------------------------- case list, filters, batch

function Filters({ filters, setFilters, onBatch }) {
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  return html`<form class="filters row" onSubmit=${(e) => e.preventDefault()} data-testid="filters">
    <input type="search" placeholder="Order or return id" value=${filters.q} onInput=${set('q')} data-testid="filter-q" />
    <select value=${filters.eventType} onChange=${set('eventType')} data-testid="filter-event-type"><option value="">All events</option>${EVENT_TYPES.map((t) => html`<option>${t}</option>`)}</select>
    <input placeholder="State(s), e.g. ESCALATED" value=${filters.state} onInput=${set('state')} data-testid="filter-state" size="16" />
    <select value=${filters.open} onChange=${set('open')} data-testid="filter-open"><option value="">Open and closed</option><option value="true">Open</option><option value="false">Closed</option></select>
    <label class="check"><input type="checkbox" checked=${filters.stuck} onChange=${set('stuck')} data-testid="filter-stuck" /> Stuck</label>
    <label class="check"><input type="checkbox" checked=${filters.notRecoverable} onChange=${set('notRecoverable')} /> Not recoverable</label>
    <select onChange=${(e) => { if (e.target.value) onBatch(e.target.value); e.target.value = ''; }} data-testid="batch-action"><option value="">Batch action…</option><option value="RETRY">Retry all</option><option value="RESOLVE">Resolve all</option><option value="CANCEL">Cancel all</option></select>
  </form>`;
}

const toFilter = (f) => ({
  q: f.q || undefined, eventType: f.eventType ? [f.eventType] : undefined, state: f.state ? f.state.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean) : undefined,
  open: f.open === '' ? undefined : f.open === 'true', stuck: f.stuck || undefined, notRecoverable: f.notRecoverable || undefined,
});
const filterQuery = (f) => {
  const o = toFilter(f);
  return { ...o, eventType: o.eventType?.join(','), state: o.state?.join(',') };
};

function CaseTable({ cases, selected, flashed, onSelect, onMore, hasMore }) {
  return html`<table class="cases" data-testid="cases">
    <thead><tr><th>Order</th><th>Event</th><th>State</th><th>Supplier</th><th>In state</th><th>Next deadline</th><th>Reported</th></tr></thead>
    <tbody>
      ${cases.length === 0 && html`<tr><td colspan="7" class="muted">No cases match.</td></tr>`}
      ${cases.map((c) => html`<tr key=${c.returnId} class=${[c.returnId === selected ? 'selected' : '', flashed.has(c.returnId) ? 'flash' : ''].join(' ')}
          onClick=${() => onSelect(c.returnId)} data-testid=${`case-row-${c.returnId}`} data-state=${c.state}>
        <td>${c.externalOrderId.replace('gid://shopify/Order/', '#')}<div class="muted">${short(c.returnId)}</div></td>
        <td>${c.eventType}</td>
        <td><span class=${`badge ${stateClass(c.state)}`}>${c.state}</span>${c.stuck && html` <span class="badge bad" title=${c.stuckReason}>stuck</span>`}${c.notRecoverable && html` <span class="badge warn" data-testid="badge-nr" title=${`Not recoverable: the supplier will not credit this case${c.notRecoverableReason ? ` (${c.notRecoverableReason})` : ''}`}>n/r</span>`}</td>
        <td>${c.suppliers.join(', ')}</td>
        <td>${TERMINAL.includes(c.state) ? '—' : fmtDuration(Date.now() - new Date(c.stateSince).getTime())}</td>
        <td>${c.nextDeadline ? `${c.nextDeadline.timer.split(':')[0]} ${fmtTime(c.nextDeadline.at)}` : '—'}</td>
        <td>${fmtTime(c.reportedAt)}</td>
      </tr>`)}
    </tbody>
    <tfoot>
      ${hasMore && html`<tr><td colspan="7"><button class="ghost" onClick=${onMore}>Load more</button></td></tr>`}
      <tr><td colspan="7" class="muted legend" data-testid="case-legend"><span class="badge bad">stuck</span> no progress past the step's expected time, or a deadline overdue · <span class="badge warn">n/r</span> not recoverable: the supplier will not credit it (its policy, a missing photo, a rejection); the refund is our cost</td></tr>
    </tfoot>
  </table>`;
}

// ---------------------------------------------------------------- side panels

function SupplierHealth({ health }) {
  if (!health) return null;
  return html`<section class="card" data-testid="supplier-health"><h3>Supplier endpoints</h3>
    <table><thead><tr><th>Supplier</th><th>Health</th><th>24 h</th><th>Recent</th></tr></thead><tbody>
      ${health.suppliers.map((s) => html`<tr data-testid=${`supplier-${s.supplierId}`}>
        <td title=${s.webhookUrl}>${s.name}</td>
        <td><span class=${`badge ${s.health === 'HEALTHY' ? 'done' : 'bad'}`}>${s.health}</span>${s.disabledReason ? html`<div class="muted">${s.disabledReason}</div>` : s.failingSince ? html`<div class="muted">failing since ${fmtTime(s.failingSince)}</div>` : ''}</td>
        <td>${s.last24h.attempts ? `${Math.round(s.last24h.successRate * 100)}% of ${s.last24h.attempts}` : '—'}${s.last24h.p50LatencyMs !== null ? html`<div class="muted">p50 ${Math.round(s.last24h.p50LatencyMs)} ms</div>` : ''}</td>
        <td class="dots">${s.recentAttempts.slice().reverse().map((a) => html`<i class=${a.ok ? 'ok' : 'ko'} title=${`${fmtTime(a.at)} ${a.statusCode ?? a.error}`}></i>`)}</td>
      </tr>`)}
    </tbody></table></section>`;
}

function Alerts({ alerts, onSelect }) {
  return html`<section class="card" data-testid="alerts"><h3>Alerts ${alerts.length ? html`<span class="badge bad">${alerts.length}</span>` : ''}</h3>
    ${alerts.length === 0 ? html`<p class="muted">No open alerts.</p>` : html`<ul class="alerts">${alerts.map((a) => html`<li key=${a.id} onClick=${() => onSelect(a.returnId)}>
      <b>${a.kind}</b> ${a.externalOrderId.replace('gid://shopify/Order/', '#')} in ${a.state}: ${a.reason} <span class="muted">${ago(a.raisedAt)}</span></li>`)}</ul>`}
  </section>`;
}

// ---------------------------------------------------------------- the console

function Console({ onSignOut }) {
  const [filters, setFilters] = useState({ q: '', eventType: '', state: '', open: '', stuck: false, notRecoverable: false });
  const [cases, setCases] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [selected, setSelected] = useState(null);
  const [detail, setDetail] = useState(null);
  const [figures, setFigures] = useState(null);
  const [health, setHealth] = useState(null);
  const [alerts, setAlerts] = useState([]);
  const [dialog, setDialog] = useState(null);
  const [toast, setToast] = useState(null);
  const [flashed, setFlashed] = useState(new Set());
  const [error, setError] = useState('');

  const guard = (p) => p.catch((err) => { if (err.status === 401) onSignOut(); else setError(err.message); });
  const loadCases = useCallback(() => guard(api(`/ops/cases?${qs({ ...filterQuery(filters), limit: 50 })}`).then((r) => { setCases(r.items); setCursor(r.nextCursor); setError(''); })), [filters]);
  const loadDetail = useCallback((id = selected) => (id ? guard(api(`/ops/cases/${id}`).then(setDetail)) : Promise.resolve()), [selected]);
  const loadSide = () => Promise.all([
    guard(api('/ops/figures').then(setFigures)), guard(api('/ops/suppliers/health').then(setHealth)), guard(api('/ops/alerts').then((r) => setAlerts(r.items))),
  ]);
  const refreshSoon = useDebounced(() => { loadCases(); loadDetail(); }, 250);
  const sideSoon = useDebounced(loadSide, 1500);

  useEffect(() => { loadCases(); }, [filters]);
  useEffect(() => { setDetail(null); loadDetail(selected); }, [selected]);
  useEffect(() => { loadSide(); const t = setInterval(loadSide, 30_000); return () => clearInterval(t); }, []);

  const live = useLive((ev) => {
    if (ev.data?.returnId) {
      setFlashed((s) => new Set([...s, ev.data.returnId]));
      setTimeout(() => setFlashed((s) => { const n = new Set(s); n.delete(ev.data.returnId); return n; }), 2000);
    }
    refreshSoon();
    sideSoon();
  });

  const more = () => guard(api(`/ops/cases?${qs({ ...filterQuery(filters), cursor, limit: 50 })}`).then((r) => { setCases([...cases, ...r.items]); setCursor(r.nextCursor); }));

  const batch = async (action) => {
    try {
      const p = await api('/ops/batch/preview', { method: 'POST', body: { action, filter: toFilter(filters) } });
      setDialog({
        title: `${action} ${p.applicable} case(s)`,
        description: `The current filter matches ${p.matched} case(s); ${action} applies to ${p.applicable} (${Object.entries(p.byState).map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}). Each is audited separately.`,
        // nothing applies: say so, and offer no Confirm
        confirm: p.applicable ? `Confirm: ${action} ${p.applicable} case(s)` : null, danger: action === 'CANCEL', fields: p.applicable ? [reasonField()] : [],
        run: (v, k) => api('/ops/batch', { method: 'POST', idempotencyKey: k, body: { action, filter: toFilter(filters), reason: v.reason, expectedCount: p.applicable } }),
      });
    } catch (err) {
      setError(err.message);
    }
  };

  return html`<div class="console">
    <header class="top row">
      <h1>Returns ops console</h1>
      <span class=${`live ${live}`} data-testid="live-status" data-status=${live}>${live === 'live' ? '● live' : `○ ${live}`}</span>
      <span class="spacer"></span>
      <span class="muted">${session.actor || 'anonymous'}</span>
      <a href="/docs" target="_blank">API docs</a>
      <button class="ghost" onClick=${onSignOut}>Sign out</button>
    </header>
    ${error && html`<p class="error banner" onClick=${() => setError('')}>${error}</p>`}
    ${toast && html`<p class="toast" data-testid="toast" onClick=${() => setToast(null)}>${toast}</p>`}
    <${Figures} figures=${figures} />
    <div class="main">
      <section class="card list">
        <${Filters} filters=${filters} setFilters=${setFilters} onBatch=${batch} />
        <${CaseTable} cases=${cases} selected=${selected} flashed=${flashed} onSelect=${setSelected} onMore=${more} hasMore=${!!cursor} />
      </section>
      <aside>
        ${detail ? html`<${Detail} detail=${detail} onAction=${setDialog} onClose=${() => setSelected(null)} />` : html`<${Alerts} alerts=${alerts} onSelect=${setSelected} /><${SupplierHealth} health=${health} />`}
      </aside>
    </div>
    ${dialog && html`<${ConfirmDialog} dialog=${dialog} onClose=${() => setDialog(null)} onDone=${(d, r) => {
      setDialog(null);
      setToast(r?.batchId ? `${r.action}: ${r.requested} case(s) requested${r.skipped?.length ? `, ${r.skipped.length} skipped` : ''}` : `${r.action} ${r.replayed ? 'was already done' : r.status === 'RECORDED' ? 'recorded' : 'requested'} (${short(r.actionId)})`);
      setTimeout(() => setToast(null), 6000);
      loadCases(); loadDetail();
    }} />`}
  </div>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(!!session.key);
  return signedIn
    ? html`<${Console} onSignOut=${() => { session.clear(); setSignedIn(false); }} />`
    : html`<${Login} onDone=${() => setSignedIn(true)} />`;
}

const root = document.getElementById('app');
// Without the digits every amount still shows, raw ("1500 EUR"): the page never waits on them to work.
fetch('/console/currencies.json').then((r) => r.json()).then((d) => { DIGITS = d; }).catch(() => {}).finally(() => {
  root.textContent = ''; // drop the "Loading" placeholder
  render(html`<${App} />`, root);
});
