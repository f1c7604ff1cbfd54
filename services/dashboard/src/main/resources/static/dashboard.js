'use strict';
// The dashboard page: one snapshot per refresh arrives over server-sent events and replaces what is shown.
// No framework and no build step: the DOM is rebuilt from each snapshot, which is small.

const STALE_AFTER_MS = 8000;
const HISTORY = 60;
let lastSnapshotAt = 0;

// The session's CSRF token, which Spring Security keeps in this cookie for the page's script to send back in the
// X-XSRF-TOKEN header of every state-changing request. Read at each request: it changes when the operator signs in.
const csrfHeaders = () => {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return cookie ? { 'X-XSRF-TOKEN': decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) } : {};
};


const badge = (text) => el('span', { class: 'badge ' + String(text).toLowerCase() }, String(text).toLowerCase());
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
// How long after the saga's first step a later one came: "+180 ms", "+2.4 s".
const offset = (from, to) => {
  const millis = new Date(to) - new Date(from);
  return millis < 1000 ? `${millis} ms` : `${(millis / 1000).toFixed(1)} s`;
};
const number = (value, digits = 0) => Number(value || 0).toLocaleString(undefined,
    { maximumFractionDigits: digits, minimumFractionDigits: digits });

function sparkline(values) {
  const width = 220;
  const height = 28;
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, HISTORY - 1);
  const offset = HISTORY - values.length;
  const points = values.map((value, i) => `${((offset + i) * step).toFixed(1)},${(height - (value / max) * height).toFixed(1)}`);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#0969da');
  line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = `handled per second over the last ${values.length} refreshes (peak ${number(max, 1)})`;
  svg.append(title);
  return svg;
}

function renderServices(services) {
  const cards = services.map((service) => {
    const status = service.status;
    // UNAUTHORIZED: the dashboard could not read the service with its token (none to be had, or refused).
    const unreachable = status === 'UNREACHABLE' || status === 'UNAUTHORIZED' || status === 'DOWN'
        || status === 'OUT_OF_SERVICE';
    const rows = [];
    if (unreachable) {
      rows.push(el('dt', {}, 'since'), el('dd', {}, time(service.since)));
      if (service.detail) rows.push(el('dt', {}, 'why'), el('dd', { class: 'detail' }, service.detail));
    } else {
      rows.push(el('dt', {}, 'handled/s'), el('dd', {}, number(service.handledPerSecond, 1)));
      rows.push(el('dt', {}, 'published/s'), el('dd', {}, number(service.publishedPerSecond, 1)));
      rows.push(el('dt', {}, 'outbox backlog'), el('dd', {}, number(service.outboxBacklog)));
      rows.push(el('dt', {}, 'dead-lettered'), el('dd', {}, number(service.deadLettered)));
      for (const group of service.lag) {
        rows.push(el('dt', { title: 'consumer group ' + group.group }, 'lag ' + group.group),
            el('dd', { 'data-lag-group': group.group },
                `${number(group.records)} rec · ${number(group.secondsBehind, 1)} s`));
      }
      for (const [name, state] of Object.entries(service.breakers)) {
        rows.push(el('dt', {}, 'breaker ' + name), el('dd', { 'data-breaker': name }, badge(state)));
      }
    }
    return el('div', {
      class: 'card ' + (unreachable ? 'down' : status === 'DEGRADED' ? 'degraded' : ''),
      'data-service': service.name, 'data-status': status,
    },
    el('h3', {}, el('a', { href: service.url + '/actuator/health', target: '_blank' }, service.name),
        badge(status === 'UNREACHABLE' ? 'down' : status)),
    el('dl', {}, rows),
    unreachable ? null : sparkline(service.handledHistory),
    el('div', { class: 'links' },
        el('a', { href: service.url + '/swagger-ui.html', target: '_blank', 'data-link': 'api' }, 'HTTP API'),
        el('a', { href: 'catalogue.html#service-' + encodeURIComponent(service.name), 'data-link': 'events' },
            'events')));
  });
  document.getElementById('services').replaceChildren(...cards);
}

// In the saga's own order, not the alphabet's.
const SAGA_ORDER = ['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'REJECTED', 'CANCELLING', 'CANCELLED',
  'COMPENSATION_FAILED'];

function renderSagas(sagas) {
  const rank = (status) => (SAGA_ORDER.indexOf(status) + SAGA_ORDER.length + 1) % (SAGA_ORDER.length + 1);
  const chips = Object.entries(sagas || {}).sort(([a], [b]) => rank(a) - rank(b)).map(([status, count]) =>
    el('span', { class: 'chip', 'data-saga-status': status }, badge(status), ' ', number(count)));
  document.getElementById('sagas').replaceChildren(...chips);
}

// The first step shows its time; the others how long after the first they came.
function renderStep(step, first) {
  const at = first === null ? time(step.at) : '+' + offset(first.at, step.at);
  return el('span', { class: 'step', title: `${step.service} at ${step.at}` }, step.type, el('span', { class: 'at' }, at));
}

function renderOrders(orders) {
  const rows = orders.map((order) => el('tr', { 'data-order-id': order.id, 'data-status': order.status },
    el('td', { class: 'mono', title: order.id }, order.id.substring(0, 8)),
    el('td', {}, badge(order.status), order.statusReason ? el('div', { class: 'muted' }, order.statusReason) : null),
    el('td', {}, order.customerId),
    el('td', {}, `${order.total} ${order.currency}`),
    el('td', {}, el('div', { class: 'timeline' }, order.timeline.length === 0
      ? el('span', { class: 'muted' }, 'not in the read side yet')
      : order.timeline.map((step, i) => renderStep(step, i === 0 ? null : order.timeline[0]))))));
  document.querySelector('#orders tbody').replaceChildren(...rows);
  document.getElementById('orders-empty').hidden = orders.length > 0;
}

function renderDeadLetters(deadLetters) {
  document.getElementById('dlq-counts').textContent = deadLetters.error
    ? deadLetters.error
    : `${deadLetters.pending} pending · ${deadLetters.replayed} replayed · ${deadLetters.quarantined} quarantined`;
  const rows = deadLetters.letters.map((letter) => el('tr', { 'data-dlq-id': letter.id, 'data-status': letter.status },
    el('td', { class: 'mono' }, el('a', { href: '#', onclick: (event) => { event.preventDefault(); show(letter.id); } },
        letter.id)),
    el('td', {}, badge(letter.status)),
    el('td', {}, letter.consumer),
    el('td', {}, letter.eventType),
    el('td', { class: 'mono' }, letter.key),
    el('td', {}, letter.replayCount),
    el('td', { class: 'reason' }, letter.reason),
    el('td', {}, letter.status === 'PENDING'
      ? el('button', { class: 'replay', 'data-replay': letter.id, onclick: () => replay(letter.id) }, 'Replay')
      : null)));
  document.querySelector('#dead-letters tbody').replaceChildren(...rows);
  document.getElementById('dlq-empty').hidden = deadLetters.letters.length > 0;
}

function message(text, isError) {
  const node = document.getElementById('dlq-message');
  node.textContent = text;
  node.className = 'message' + (isError ? ' error' : '');
  node.hidden = false;
}

async function replay(id) {
  try {
    const response = await fetch('/api/dlq/replay', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...csrfHeaders() },
      body: JSON.stringify({ ids: [id] }),
    });
    const body = await response.json();
    if (!response.ok) {
      message(`Not replayed: ${body.detail || response.status}`, true);
      return;
    }
    const parts = [];
    body.replayed.forEach((r) => parts.push(`replayed ${r.id} to ${r.toTopic} (replay ${r.replayCount})`));
    body.quarantined.forEach((q) => parts.push(`quarantined ${q}`));
    body.skipped.forEach((s) => parts.push(`skipped ${s.id}: ${s.why}`));
    message(parts.join('; '), false);
  } catch (error) {
    message(`Not replayed: ${error}`, true);
  }
}

async function show(id) {
  const detail = document.getElementById('dlq-detail');
  const response = await fetch('/api/dlq/' + encodeURIComponent(id));
  const body = await response.json();
  detail.textContent = response.ok
    ? `${body.id}  ${body.status}${body.outcome ? ' (' + body.outcome + ')' : ''}\n`
      + `failed in ${body.consumer} on ${body.originalTopic}: ${body.reason}\n`
      + `event ${body.eventType} ${body.eventId}, key ${body.key}, replayed ${body.replayCount} time(s)\n\n`
      + `payload: ${body.payload}\n\nheaders:\n`
      + Object.entries(body.headers || {}).map(([k, v]) => `  ${k}: ${v}`).join('\n')
    : `${body.title}: ${body.detail}`;
  detail.hidden = false;
}

function setConnection(state, text) {
  const node = document.getElementById('connection');
  node.dataset.state = state;
  node.className = 'badge ' + (state === 'live' ? 'up' : state === 'stale' ? 'degraded' : 'disconnected');
  node.textContent = text;
}

function render(snapshot) {
  lastSnapshotAt = Date.now();
  setConnection('live', 'live');
  document.getElementById('updated').textContent = 'updated ' + time(snapshot.takenAt);
  renderServices(snapshot.services);
  renderSagas(snapshot.sagas);
  renderOrders(snapshot.orders);
  renderDeadLetters(snapshot.deadLetters);
}

function connect() {
  const events = new EventSource('/api/stream');
  events.addEventListener('snapshot', (event) => render(JSON.parse(event.data)));
  // EventSource reconnects by itself; the page says so meanwhile instead of showing old figures as live.
  events.onerror = () => {
    if (events.readyState !== EventSource.CLOSED) {
      setConnection('disconnected', 'dashboard unreachable, retrying…');
      return;
    }
    // An answer that is not a stream (401 once the session has ended) closes it for good: see why, and retry.
    fetch('/api/me').then((response) => {
      if (response.status === 401) {
        setConnection('disconnected', 'signed out: reload the page to sign in again');
      } else {
        setConnection('disconnected', 'dashboard unreachable, retrying…');
        setTimeout(connect, 2000);
      }
    }, () => {
      setConnection('disconnected', 'dashboard unreachable, retrying…');
      setTimeout(connect, 2000);
    });
  };
}

// Who is signed in, and the sign-out form with the CSRF token that a form posts.
async function account() {
  try {
    const response = await fetch('/api/me');
    if (!response.ok) return;
    const me = await response.json();
    document.getElementById('signed-in-as').textContent = 'signed in as ' + me.name;
    const form = document.getElementById('sign-out');
    const field = form.querySelector('input[type=hidden]');
    field.name = me.csrf.parameterName;
    field.value = me.csrf.token;
    form.hidden = false;
  } catch (error) {
    // The label is a convenience; the data comes without it.
  }
}

setInterval(() => {
  if (lastSnapshotAt && Date.now() - lastSnapshotAt > STALE_AFTER_MS) {
    setConnection('stale', 'no update for ' + Math.round((Date.now() - lastSnapshotAt) / 1000) + ' s');
  }
}, 1000);

connect();
account();
