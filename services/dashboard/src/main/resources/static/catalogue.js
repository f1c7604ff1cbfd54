'use strict';
// The event catalogue: the services' AsyncAPI documents (from /api/event-documents) merged into topics → events →
// schema versions → producers and consumers. Everything shown comes from the documents; nothing here knows a topic.

const DEAD_LETTER_SUFFIX = '.dlq';

// The last segment of a local reference, "#/channels/orders.events/messages/OrderPlaced" → "OrderPlaced". Segments
// are JSON pointer tokens: "~1" is "/" and "~0" is "~".
const lastSegment = (ref) => ref.substring(ref.lastIndexOf('/') + 1).replaceAll('~1', '/').replaceAll('~0', '~');
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectOf = (value) => (isObject(value) ? value : {});
const arrayOf = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (typeof value === 'string' ? value : '');
// Own properties only: a reference to "#/channels/__proto__" finds nothing.
const own = (object, key) => (Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined);
const channelOf = (document, operation) => {
  const channel = own(objectOf(document.channels), lastSegment(text(objectOf(operation.channel).$ref)));
  return isObject(channel) && typeof channel.address === 'string' ? channel : undefined;
};
const groupOf = (operation) => text(arrayOf(objectOf(objectOf(objectOf(operation.bindings).kafka).groupId).enum)[0]);

/** One service's document into the topics: its channels' events and versions, then who writes and reads what. */
function mergeOne(document, entry, topic, event) {
  for (const channel of Object.values(objectOf(document.channels))) {
    if (!isObject(channel) || typeof channel.address !== 'string' || channel.address.endsWith(DEAD_LETTER_SUFFIX)) {
      continue;
    }
    for (const [name, message] of Object.entries(objectOf(channel.messages))) {
      const known = event(channel.address, name);
      known.summary = known.summary || text(objectOf(message).summary);
      const schema = objectOf(objectOf(message)['x-orderflow-schema']);
      known.subject = known.subject || text(schema.subject);
      // Version numbers and ids are whole numbers in a registry: anything else is left out, not shown.
      const versions = arrayOf(schema.versions).filter((version) => isObject(version)
          && Number.isInteger(version.version) && Number.isInteger(version.id));
      for (const version of versions) {
        if (!known.versions.has(version.version)) {
          known.versions.set(version.version, { version: version.version, id: version.id, schema: version.schema,
            usedBy: new Set() });
        }
      }
      if (known.versions.has(schema.thisService)) known.versions.get(schema.thisService).usedBy.add(entry.name);
    }
  }
  for (const operation of Object.values(objectOf(document.operations)).filter(isObject)) {
    const channel = channelOf(document, operation);
    if (!channel) continue;
    const group = groupOf(operation);
    if (channel.address.endsWith(DEAD_LETTER_SUFFIX)) {
      const original = channel.address.substring(0, channel.address.length - DEAD_LETTER_SUFFIX.length);
      // The consumer its dead letters name (and are replayed to): the group's, or a merged subscription's former.
      topic(original).deadLetterWriters.add(`${entry.name} (${text(operation['x-orderflow-consumer']) || group})`);
      continue;
    }
    for (const ref of arrayOf(operation.messages).filter(isObject)) {
      const known = event(channel.address, lastSegment(text(ref.$ref)));
      if (operation.action === 'send') {
        known.writers.add(entry.name);
        entry.writes.add(channel.address);
      } else {
        known.readers.add(`${entry.name} (${group})`);
        entry.groups.add(group);
      }
    }
    for (const passed of arrayOf(operation['x-orderflow-passes-by']).filter((name) => typeof name === 'string')) {
      event(channel.address, passed).passers.add(`${entry.name} (${group})`);
    }
  }
}

/** Topics by name, each with its events by name, merged from every service's document. */
function merge(documents) {
  const topics = new Map();
  const services = [];
  const topic = (name) => {
    if (!topics.has(name)) topics.set(name, { name, events: new Map(), deadLetterWriters: new Set() });
    return topics.get(name);
  };
  const event = (topicName, name) => {
    const events = topic(topicName).events;
    if (!events.has(name)) {
      events.set(name, { name, summary: '', subject: '', versions: new Map(), writers: new Set(),
        readers: new Set(), passers: new Set() });
    }
    return events.get(name);
  };
  for (const service of arrayOf(documents)) {
    const entry = { name: text(service.name), url: text(service.url), error: service.error, writes: new Set(),
      groups: new Set() };
    services.push(entry);
    if (!isObject(service.document)) continue;
    try {
      mergeOne(service.document, entry, topic, event);
    } catch (e) {
      // One service's odd document is that service's problem: the others are still shown.
      entry.error = 'its document could not be read: ' + e.message;
    }
  }
  return { topics: [...topics.values()].sort((a, b) => a.name.localeCompare(b.name)), services };
}

const list = (values) => [...values].sort().join(', ');

function renderServices(services) {
  const rows = services.map((service) => el('tr', { id: 'service-' + service.name, 'data-service': service.name },
    el('td', {}, service.name),
    el('td', {}, el('a', { href: service.url + '/swagger-ui.html', target: '_blank' }, 'Swagger UI'), ' · ',
        el('a', { href: service.url + '/v3/api-docs', target: '_blank' }, 'OpenAPI')),
    el('td', {}, service.error
      ? el('span', { class: 'detail', 'data-error': '' }, service.error)
      : el('a', { href: service.url + '/asyncapi.json', target: '_blank' }, 'asyncapi.json')),
    el('td', {}, list(service.writes)),
    el('td', {}, list(service.groups))));
  document.querySelector('#catalogue-services tbody').replaceChildren(...rows);
}

function renderVersion(version) {
  const label = `v${version.version} (id ${version.id})` + (version.usedBy.size ? ` · ${list(version.usedBy)}` : '');
  return el('details', { 'data-version': version.version },
    el('summary', {}, label),
    el('pre', {}, JSON.stringify(version.schema, null, 2)));
}

function renderTopics(topics) {
  const sections = topics.map((topic) => el('section', { 'data-topic': topic.name },
    el('h2', {}, topic.name, ' ', el('span', { class: 'muted' },
        topic.deadLetterWriters.size ? `dead letters to ${topic.name}${DEAD_LETTER_SUFFIX} from ${list(topic.deadLetterWriters)}` : '')),
    el('table', { class: 'events' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Event'), el('th', {}, 'Schema versions (registry id · services on it)'),
          el('th', {}, 'Written by'), el('th', {}, 'Read by (group)'), el('th', {}, 'Passed by'))),
      el('tbody', {}, [...topic.events.values()].map((event) => el('tr', { 'data-event': event.name },
        el('td', {}, el('strong', {}, event.name), el('div', { class: 'muted' }, event.summary),
            el('div', { class: 'muted mono' }, event.subject)),
        el('td', { class: 'versions' }, [...event.versions.values()].sort((a, b) => a.version - b.version).map(renderVersion)),
        el('td', { class: 'writers' }, list(event.writers)),
        el('td', { class: 'readers' }, list(event.readers)),
        el('td', { class: 'passers muted' }, list(event.passers))))))));
  document.getElementById('topics').replaceChildren(...sections);
}

// The dashboard's links point at a service's row: #service-<name>.
function scrollToHash() {
  try {
    const id = decodeURIComponent(window.location.hash.substring(1));
    if (id) document.getElementById(id)?.scrollIntoView();
  } catch (e) {
    // A hash that is not a valid escape points nowhere.
  }
}

async function load() {
  const message = document.getElementById('catalogue-message');
  try {
    const response = await fetch('/api/event-documents');
    if (response.status === 401) {
      window.location.assign('./');
      return;
    }
    if (!response.ok) throw new Error(`the dashboard answered ${response.status}`);
    const { topics, services } = merge(await response.json());
    renderServices(services);
    renderTopics(topics);
    const missing = services.filter((service) => service.error);
    message.hidden = missing.length === 0;
    message.className = 'message error';
    message.textContent = missing.map((service) => `${service.name}: ${service.error}`).join(' · ');
    document.body.dataset.loaded = 'true';
    scrollToHash();
  } catch (e) {
    message.hidden = false;
    message.className = 'message error';
    message.textContent = 'The catalogue could not be loaded: ' + e.message;
  }
}

load();
