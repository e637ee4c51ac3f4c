// The regisseur's workplace (docs/regisseur.md). It holds no data of its own: everything comes from the API with the
// caller's token and the session's purpose (X-Doelbinding). What the API returns is shown with textContent only, so
// data never becomes markup.
'use strict';

const $ = id => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') e.className = value;
    else if (name === 'text') e.textContent = value;
    else if (name.startsWith('on')) e.addEventListener(name.slice(2), value);
    else e.setAttribute(name, value === true ? '' : value);
  }
  e.append(...children.flat().filter(c => c !== undefined && c !== null && c !== false));
  return e;
}

// ---- Dutch names for the API's codes ------------------------------------------------------------------------------

const NAMEN = {
  Financien: 'Financiën', WerkEnDagbesteding: 'Werk en dagbesteding', GezinEnRelaties: 'Gezin en relaties',
  Wmo: 'Wmo 2015', Lopend: 'Loopt', Ouder: 'ouder', Partner: 'partner', Kind: 'kind', Overig: 'overig',
  regisseur: 'regisseur', teamleider: 'teamleider', beheerder: 'beheerder',
};
const LEEFGEBIEDEN = ['Financien', 'WerkEnDagbesteding', 'Huisvesting', 'GezinEnRelaties', 'Opvoeding', 'GeestelijkeGezondheid',
  'LichamelijkeGezondheid', 'Verslaving', 'Justitie', 'SociaalNetwerk'];
const STATUSSEN = ['Open', 'Lopend', 'Bereikt', 'Gestopt'];
const DOMEINEN = ['Jeugdwet', 'Wmo', 'Participatiewet', 'Schuldhulpverlening', 'Bewindvoering', 'Leerplicht', 'Huisarts',
  'Wijkverpleging', 'Jeugdbescherming', 'Justitie', 'Overig'];
const WETTEN_BEKEND = ['Jeugdwet', 'Wmo', 'Participatiewet'];

/** A code in words: the known names, else the code's words split ("LichamelijkeGezondheid" → "Lichamelijke gezondheid"). */
function naam(code) {
  if (code in NAMEN) return NAMEN[code];
  const woorden = String(code).replace(/([a-zà-ÿ])([A-Z])/g, '$1 $2').split(' ');
  return woorden.map((w, i) => i === 0 ? w : w.toLowerCase()).join(' ');
}
const opsomming = (items, voegwoord = 'en') => items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${voegwoord} ${items.at(-1)}`;

// ---- Dates: the API speaks ISO dates (YYYY-MM-DD), the page Dutch ones ----------------------------------------------

const DAG = 864e5;
const tijd = iso => Date.parse(iso + 'T00:00:00Z');
const iso = t => new Date(t).toISOString().slice(0, 10);
const datumNotatie = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const maandNotatie = new Intl.DateTimeFormat('nl-NL', { month: 'short', timeZone: 'UTC' });
const datum = s => s ? datumNotatie.format(tijd(s)) : '';
const vandaag = () => { const d = new Date(); return iso(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())); };
function plusJaren(s, jaren) { const d = new Date(tijd(s)); d.setUTCFullYear(d.getUTCFullYear() + jaren); return iso(d.getTime()); }
function leeftijd(geboren, op) {
  const [gj, gm, gd] = geboren.split('-').map(Number), [j, m, d] = op.split('-').map(Number);
  return j - gj - (m < gm || (m === gm && d < gd) ? 1 : 0);
}

// ---- Session: the token and the purpose live in this tab only, until logout ----------------------------------------

const sessie = {
  get token() { return sessionStorage.getItem('token'); },
  set token(v) { v ? sessionStorage.setItem('token', v) : sessionStorage.removeItem('token'); },
  get doel() { return sessionStorage.getItem('doel'); },
  set doel(v) { v ? sessionStorage.setItem('doel', v) : sessionStorage.removeItem('doel'); },
  get idToken() { return sessionStorage.getItem('idToken'); },
  set idToken(v) { v ? sessionStorage.setItem('idToken', v) : sessionStorage.removeItem('idToken'); },
  wie: null,
};
let aanmeldwijze = null; // the server's /regisseur/config
let huidig = null; // the household shown: { id, view }

class Fout extends Error {
  constructor(bericht, toelichting) { super(bericht); this.toelichting = toelichting; }
}

// ---- The API, and its refusals in Dutch ----------------------------------------------------------------------------

/** What an action is called in a refusal, and who may do it. */
const ACTIES = {
  huishouden: { nietGevonden: 'Dit huishouden bestaat niet, of u mag het niet inzien.',
    verboden: 'U mag dit huishouden niet inzien: alleen de regisseur van het huishouden, of iemand aan wie een lid toestemming gaf, ziet het.' },
  zoeken: { verboden: 'Zoeken op BSN is voor regisseurs en teamleiders.' },
  lijst: { verboden: 'Deze lijst is voor regisseurs en teamleiders.', nietGevonden: 'Deze gemeente hoort niet bij uw aanmelding.' },
  plan: { verboden: 'Alleen de regisseur van het huishouden mag het plan wijzigen.' },
  overdragen: { verboden: 'Alleen de regisseur van het huishouden of een teamleider mag de regie overdragen.' },
  beeindigen: { verboden: 'Alleen de regisseur van het huishouden of een teamleider mag de regie beëindigen.' },
  toestemming: { verboden: 'Alleen de regisseur van het huishouden legt een toestemming vast.' },
  intrekken: { verboden: 'Een toestemming trekt in wie haar vastlegde, de regisseur van het huishouden of een teamleider.' },
  betrokkene: { verboden: 'Alleen de regisseur van het huishouden legt betrokkenen vast.' },
};

/** Dutch for a 409 of the Households service, by its title. */
const CONFLICTEN = {
  'Same regisseur': 'Deze regisseur heeft de regie al.',
  'No regisseur': 'Het huishouden heeft nu geen regisseur.',
  'Household has a regisseur': 'Het huishouden heeft al een regisseur: draag de regie over of beëindig haar eerst.',
  'No such consent': 'Deze toestemming geldt niet (meer).',
  'Unknown goal': 'Dit doel staat niet (meer) in het plan.',
};

/** What a field is called on the page, and what the page asks of it. */
const VELDEN = {
  bsn: ['BSN', 'Een BSN bestaat uit negen cijfers en voldoet aan de 11-proef.'],
  gegevenDoor: ['Gegeven door', 'Kies het lid dat de toestemming gaf.'],
  date: ['Peildatum', 'Vul een bestaande datum in.'],
  omschrijving: ['Omschrijving', 'Vul een omschrijving in van ten hoogste 500 tekens, zonder opmaak.'],
  eigenaar: ['Eigenaar', 'Vul in wie eigenaar is (één regel tekst).'],
  leefgebied: ['Leefgebied', 'Kies een leefgebied.'],
  status: ['Status', 'Kies een status.'],
  deadline: ['Uiterlijk', 'Vul een bestaande datum in.'],
  conflictsWithGoalId: ['Botst met', 'Kies een ander doel van het plan.'],
  toelichting: ['Toelichting', 'Vul een toelichting in.'],
  gemarkeerdDoor: ['Gemarkeerd door', 'Vul in wie de botsing zag.'],
  regisseurId: ['Gebruikersnaam nieuwe regisseur', 'Vul de gebruikersnaam van de regisseur in.'],
  naam: ['Naam', 'Vul een naam in (één regel tekst).'],
  organisatie: ['Organisatie', 'Vul de organisatie in.'],
  domein: ['Domein', 'Kies een domein.'],
  ontvanger: ['Ontvanger', 'Vul de gebruikersnaam in van de regisseur die mag meekijken.'],
  wetten: ['Wetten', 'Kies minstens één wet.'],
  van: ['Vanaf', 'Vul een bestaande datum in.'],
  tot: ['Tot en met', 'Vul een bestaande datum in, niet vóór de begindatum.'],
  per: ['Per', 'Vul een bestaande datum in.'],
};

/** A refusal in Dutch, chosen by status and problem type; the server's own words only where they add something. */
function melding(status, problem, actie) {
  const bij = ACTIES[actie] || {};
  switch (status) {
    case 400: {
      const velden = Object.keys(problem?.errors || {}).map(v => v.replace(/\[\d+\]$/, ''));
      const uniek = [...new Set(velden)];
      if (uniek.length === 0) return new Fout('De gegevens zijn niet volledig of kloppen niet.', problem?.detail);
      return new Fout(uniek.map(v => VELDEN[v] ? `${VELDEN[v][0]}: ${VELDEN[v][1]}` : `Controleer het veld ‘${naam(v)}’.`).join(' '));
    }
    case 401: return new Fout('Uw aanmelding is verlopen of niet geldig. Meld u opnieuw aan.');
    case 403: return new Fout(bij.verboden || 'U mag dit niet doen.');
    case 404: return new Fout(bij.nietGevonden || 'Niet gevonden, of u heeft er geen toegang toe.');
    case 409: return new Fout(CONFLICTEN[problem?.title] || 'Dit past niet bij wat al is vastgelegd.', CONFLICTEN[problem?.title] ? null : problem?.detail);
    case 413: case 414: return new Fout('Het verzoek is te groot.');
    case 429: return new Fout('U heeft in korte tijd te veel gewijzigd. Wacht een minuut en probeer het opnieuw.');
    case 503: return new Fout('De gegevens zijn even niet bereikbaar. Probeer het over een minuut opnieuw.');
    default: return new Fout(`Er ging iets mis op de server (status ${status}). Probeer het later opnieuw.`);
  }
}

async function api(pad, { methode = 'GET', body, actie } = {}) {
  if (!sessie.token) throw new Fout('U bent niet aangemeld.');
  if (!sessie.doel) throw new Fout('Kies eerst het doel van deze sessie.');
  const headers = { 'Authorization': 'Bearer ' + sessie.token, 'X-Doelbinding': sessie.doel };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let antwoord;
  try {
    antwoord = await fetch('/api/v1' + pad, { method: methode, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Fout('De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.');
  }
  const json = (antwoord.headers.get('content-type') || '').includes('json') ? await antwoord.json() : null;
  if (antwoord.status === 401) { afmelden(melding(401).message); throw melding(401); }
  if (!antwoord.ok) throw melding(antwoord.status, json, actie);
  return json;
}

function toonFout(doel, fout) {
  if (!(fout instanceof Fout)) { console.error(fout); fout = new Fout('Er ging iets mis op deze pagina. Laad haar opnieuw.'); }
  doel.replaceChildren(fout.message);
  doel.classList.remove('gelukt');
  if (fout.toelichting) doel.append(el('details', {}, el('summary', { text: 'Toelichting van de server' }), el('p', { lang: 'en', text: fout.toelichting })));
}

function toonGelukt(tekst) {
  const m = $('melding');
  m.textContent = tekst;
  m.classList.add('gelukt');
}

function wisMelding() { $('melding').replaceChildren(); $('melding').classList.remove('gelukt'); }

// ---- Login: OpenID Connect (authorization code + PKCE), or in Development a pasted token ---------------------------

const base64url = bytes => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const willekeurig = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const terugAdres = () => location.origin + location.pathname;

async function start() {
  let config;
  try {
    const antwoord = await fetch('/regisseur/config');
    if (!antwoord.ok) throw new Error();
    config = await antwoord.json();
    aanmeldwijze = config;
  } catch {
    $('aanmelden-uitleg').textContent = 'De aanmeldserver is niet bereikbaar. Probeer het later opnieuw.';
    return;
  }
  const bericht = sessionStorage.getItem('bericht'), afgemeld = sessionStorage.getItem('afgemeld');
  sessionStorage.removeItem('bericht');
  sessionStorage.removeItem('afgemeld');
  if (bericht) toonFout($('melding'), new Fout(bericht));
  else if (afgemeld) toonGelukt(afgemeld);
  const vraag = new URLSearchParams(location.search);
  if (config.aanmelden === 'oidc' && (vraag.has('code') || vraag.has('error'))) await terugVanAanmelden(vraag);
  if (sessie.token && await sessieOpen()) return;

  if (config.aanmelden === 'token') {
    $('aanmelden-uitleg').textContent = 'Deze omgeving is een ontwikkelomgeving: plak een toegangstoken.';
    $('token-formulier').hidden = false;
  } else if (config.aanmelden === 'oidc') {
    $('aanmelden-uitleg').textContent = 'U meldt zich aan bij uw organisatie en komt daarna hier terug.';
    const knop = $('oidc-aanmelden');
    knop.hidden = false;
    knop.onclick = () => naarAanmelden(config);
  } else {
    $('aanmelden-uitleg').textContent = 'Aanmelden is op deze server niet ingesteld. ' + (config.reden || '');
  }
}

async function naarAanmelden(config) {
  const verifier = willekeurig(), state = willekeurig();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state }));
  const adres = new URL(config.authorizationEndpoint);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: config.clientId, redirect_uri: terugAdres(), scope: config.scope,
    state, code_challenge: challenge, code_challenge_method: 'S256' })) adres.searchParams.set(k, v);
  location.assign(adres.toString());
}

async function terugVanAanmelden(vraag) {
  const verwacht = JSON.parse(sessionStorage.getItem('pkce') || 'null');
  sessionStorage.removeItem('pkce');
  // The code leaves the address bar (and the history) at once.
  history.replaceState(null, '', terugAdres());
  if (vraag.has('error') || !verwacht || vraag.get('state') !== verwacht.state) {
    toonFout($('melding'), new Fout('Aanmelden is niet gelukt. Probeer het opnieuw.'));
    return;
  }
  const antwoord = await fetch('/regisseur/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: vraag.get('code'), codeVerifier: verwacht.verifier, redirectUri: terugAdres() }) });
  if (!antwoord.ok) { toonFout($('melding'), new Fout('Aanmelden is niet gelukt: uw organisatie gaf geen toegang. Probeer het opnieuw.')); return; }
  const tokens = await antwoord.json();
  sessie.token = tokens.accessToken;
  sessie.idToken = tokens.idToken;
}

/** Asks the server who the token is; a token it does not accept is forgotten. */
async function sessieOpen() {
  let antwoord;
  try {
    antwoord = await fetch('/regisseur/sessie', { headers: { 'Authorization': 'Bearer ' + sessie.token } });
  } catch {
    toonFout($('melding'), new Fout('De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.'));
    return false;
  }
  if (!antwoord.ok) {
    sessie.token = null;
    toonFout($('melding'), new Fout('Dit toegangstoken wordt niet (meer) geaccepteerd. Meld u opnieuw aan.'));
    return false;
  }
  sessie.wie = await antwoord.json();
  wisMelding();
  $('aanmelden').hidden = true;
  $('wie').hidden = false;
  $('wie-tekst').textContent = `${sessie.wie.gebruiker} · ${naam(sessie.wie.rol || 'geen rol')}${sessie.wie.gemeente ? ' · gemeente ' + sessie.wie.gemeente : ''}`;
  $('doel-paneel').hidden = false;
  if (sessie.doel) doelGekozen(); else { $('doel').value = ''; $('doel').focus(); }
  return true;
}

/**
 * Forgets the token and the purpose; a message for the login screen survives the reload. The user's own Afmelden also
 * ends the session at the identity provider, where it has an end-session endpoint: otherwise the next person at this
 * computer who clicks Aanmelden would be let in as this user without a password. A refused token (with a message) only
 * sends the user back to the login.
 */
function afmelden(bericht) {
  const zelf = typeof bericht !== 'string';
  if (!zelf) sessionStorage.setItem('bericht', bericht);
  const idToken = sessie.idToken;
  sessie.token = null;
  sessie.idToken = null;
  sessie.doel = null;
  sessie.wie = null;
  huidig = null;
  if (zelf && aanmeldwijze?.aanmelden === 'oidc') {
    if (!aanmeldwijze.endSessionEndpoint) {
      sessionStorage.setItem('bericht', 'U bent afgemeld op deze pagina, maar uw organisatie biedt geen afmelden aan: '
        + 'sluit de browser, anders komt wie hierna op Aanmelden klikt binnen als u.');
    } else {
      sessionStorage.setItem('afgemeld', 'U bent afgemeld, ook bij uw organisatie.');
      const adres = new URL(aanmeldwijze.endSessionEndpoint);
      if (idToken) adres.searchParams.set('id_token_hint', idToken);
      adres.searchParams.set('client_id', aanmeldwijze.clientId);
      adres.searchParams.set('post_logout_redirect_uri', terugAdres());
      location.assign(adres.toString());
      return;
    }
  }
  location.replace(terugAdres());
}

// ---- Purpose: chosen per session, before any read ------------------------------------------------------------------

function doelGekozen() {
  $('doel-formulier').hidden = true;
  $('doel-gekozen').hidden = false;
  $('doel-tekst').textContent = sessie.doel;
  $('werk').hidden = false;
  laadWerklijst();
}

// ---- Worklist ------------------------------------------------------------------------------------------------------

let volgende = null;

async function laadWerklijst(meer = false) {
  const lijst = $('werklijst'), uitleg = $('lijst-uitleg');
  const rol = sessie.wie.rol;
  if (!meer) { lijst.replaceChildren(); volgende = null; }
  if (!sessie.wie.gemeente || !['regisseur', 'teamleider'].includes(rol)) {
    $('lijst-kop').textContent = 'Huishoudens';
    uitleg.textContent = 'Een werklijst is er voor een regisseur of teamleider van een gemeente.';
    return;
  }
  $('lijst-kop').textContent = rol === 'teamleider' ? 'Huishoudens met signalen' : 'Mijn huishoudens';
  const vraag = new URLSearchParams({ pageSize: '25' });
  if (rol === 'teamleider') vraag.set('signalen', 'true');
  if (meer && volgende) vraag.set('cursor', volgende);
  try {
    const pagina = await api(`/gemeenten/${sessie.wie.gemeente}/households?${vraag}`, { actie: 'lijst' });
    if (!meer) uitleg.textContent = pagina.total === 0
      ? (rol === 'teamleider' ? 'Geen huishoudens met signalen.' : 'U heeft nu van geen huishouden de regie.')
      : `${pagina.total} huishouden${pagina.total === 1 ? '' : 's'}, de meeste signalen eerst.`;
    const eerder = lijst.children.length;
    for (const h of pagina.items) lijst.append(werklijstRegel(h));
    volgende = pagina.nextCursor;
    $('meer').hidden = !volgende;
    // The button may be gone: the focus goes on to the first household loaded.
    if (meer) lijst.children[eerder]?.querySelector('button')?.focus();
  } catch (e) { toonFout(uitleg, e); }
}

function werklijstRegel(h) {
  const titel = `Wijk ${h.wijk || 'onbekend'} · ${h.leden} ${h.leden === 1 ? 'lid' : 'leden'}`;
  const regel2 = el('span', { class: 'regel2', text: `${h.combinatie}${h.regisseur ? ' · regie: ' + h.regisseur : ' · geen regisseur'}` });
  const signalen = h.signalen.length ? el('span', { class: 'aantal', title: h.signalen.join(' '), text: String(h.signalen.length) }) : null;
  const uitleg = h.signalen.length ? el('span', { class: 'visueel-verborgen', text: ` ${h.signalen.length} signaal${h.signalen.length === 1 ? '' : 'en'}` }) : null;
  if (!h.toegang)
    return el('li', { class: 'geen-toegang' }, `${titel} `, signalen, uitleg, regel2,
      el('span', { class: 'regel2', text: 'Openen kan met de regie of een toestemming.' }));
  return el('li', {}, el('button', { type: 'button', 'data-huishouden': h.householdId, onclick: () => openHuishouden(h.householdId) },
    `${titel} `, signalen, uitleg, regel2));
}

// ---- Search --------------------------------------------------------------------------------------------------------

/** The 11-proef, so a mistyped BSN is told at once, without a request. */
function geldigBsn(bsn) {
  if (!/^\d{9}$/.test(bsn)) return false;
  const som = [...bsn].reduce((s, c, i) => s + Number(c) * (i === 8 ? -1 : 9 - i), 0);
  return som % 11 === 0;
}

async function zoek(event) {
  event.preventDefault();
  const bsn = $('bsn').value.replace(/\s/g, '');
  const uit = $('zoekresultaat');
  const kop = el('h3', { tabindex: '-1', id: 'resultaat-kop', text: 'Zoekresultaat' });
  uit.replaceChildren(kop);
  const bericht = el('p', { class: 'melding', role: 'alert' });
  if (!geldigBsn(bsn)) {
    $('bsn').setAttribute('aria-invalid', 'true');
    uit.append(bericht);
    toonFout(bericht, new Fout(`${VELDEN.bsn[0]}: ${VELDEN.bsn[1]}`));
    kop.focus();
    return;
  }
  $('bsn').removeAttribute('aria-invalid');
  try {
    const gevonden = await api('/households/zoeken', { methode: 'POST', body: { bsn }, actie: 'zoeken' });
    const aantal = gevonden.households.length;
    if (aantal === 0) {
      kop.textContent = 'Zoekresultaat: geen huishouden gevonden';
      uit.append(el('p', { text: 'Geen huishouden gevonden dat u mag inzien.' }));
      kop.focus();
    } else if (aantal === 1) {
      kop.textContent = 'Zoekresultaat: 1 huishouden';
      uit.append(el('ul', { class: 'resultaten' }, el('li', {}, el('button', { type: 'button', onclick: () => openHuishouden(gevonden.households[0]) },
        'Open het huishouden'))));
      if (!await openHuishouden(gevonden.households[0])) kop.focus();
    } else {
      kop.textContent = `Zoekresultaat: ${aantal} huishoudens`;
      uit.append(el('p', { text: 'Deze persoon hoort of hoorde bij meer huishoudens.' }),
        el('ul', { class: 'resultaten' }, gevonden.households.map((id, i) =>
          el('li', {}, el('button', { type: 'button', onclick: () => openHuishouden(id) }, `Huishouden ${i + 1}`)))));
      kop.focus();
    }
  } catch (e) {
    uit.append(bericht);
    toonFout(bericht, e);
    kop.focus();
  }
}

// ---- The household -------------------------------------------------------------------------------------------------

/** Shows the household; false when it could not (the reason is in the page's message). */
async function openHuishouden(id, { focus = '#hh-kop', peildatum } = {}) {
  wisMelding();
  if (peildatum === undefined) peildatum = huidig?.id === id ? $('peildatum').value : '';
  try {
    const view = await api(`/households/${id}${peildatum ? '?date=' + peildatum : ''}`, { actie: 'huishouden' });
    huidig = { id, view };
    toonHuishouden(view);
    $('huishouden').hidden = false;
    (document.querySelector(focus) || $('hh-kop')).focus();
    return true;
  } catch (e) {
    toonFout($('melding'), e);
    $('melding').scrollIntoView({ block: 'nearest' });
    return false;
  }
}

function toonHuishouden(v) {
  $('hh-kop').textContent = `Huishouden in wijk ${v.wijk || 'onbekend'}`;
  $('peildatum').value = v.peildatum;
  const feiten = [
    ['Gemeente', v.gemeente], ['Peildatum', datum(v.peildatum)], ['Wetten', v.combinatie],
    ['Regisseur', v.regisseur ? `${v.regisseur.naam} (sinds ${datum(v.regisseur.van)})` : 'geen'],
  ];
  $('hh-feiten').replaceChildren(...feiten.flatMap(([k, w]) => [el('dt', { text: k }), el('dd', { text: w })]));
  $('signalen').replaceChildren(v.signalen.length
    ? el('div', {}, el('h3', { text: `Signalen (${v.signalen.length})` }), el('ul', { class: 'signalen' }, v.signalen.map(s => el('li', { class: 'signaal', text: s.replace(/\b\d{4}-\d{2}-\d{2}\b/g, datum) }))))
    : el('p', { text: 'Geen signalen op deze datum.' }));
  toonTijdlijn(v);
  toonZicht(v);
  toonPlan(v);
  toonRegie(v);
}

// ---- Timeline: a date axis, the peildatum, ages and the 18th birthday ----------------------------------------------

function toonTijdlijn(v) {
  const peil = tijd(v.peildatum);
  const perioden = v.leden.flatMap(m => m.voorzieningen.flatMap(p => p.perioden));
  // The shown period: every provision from its start, the peildatum, and a year after it (an 18th birthday ahead shows).
  let van = Math.min(peil, ...perioden.map(p => tijd(p.begindatum)));
  let tot = Math.max(tijd(plusJaren(v.peildatum, 1)), ...perioden.map(p => tijd(p.einddatum || p.begindatum)));
  const a = new Date(van), b = new Date(tot);
  // Whole months, with a month to spare either side, so no line sits on the edge.
  van = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - 1, 1);
  tot = Date.UTC(b.getUTCFullYear(), b.getUTCMonth() + 2, 1);
  const pct = t => Math.min(100, Math.max(0, 100 * (t - van) / (tot - van)));
  const plaats = (e, t) => { e.style.left = pct(t).toFixed(3) + '%'; return e; };
  // A bar is cut to the shown period, so it never leaves its track.
  const balk = (cls, from, to) => { const e = el('div', { class: cls }); e.style.left = pct(from).toFixed(3) + '%'; e.style.width = (pct(to) - pct(from)).toFixed(3) + '%'; return e; };

  const uit = $('tijdlijn');
  uit.replaceChildren(el('p', { class: 'visueel-verborgen', text: `Tijdlijn van ${datum(iso(van))} tot ${datum(iso(tot))}; de rode lijn is de peildatum, ${datum(v.peildatum)}.` }), datumAs(van, tot, plaats));
  for (const m of v.leden) {
    const achttien = m.geboortedatum ? plusJaren(m.geboortedatum, 18) : null;
    const zichtbaar18 = achttien && tijd(achttien) >= van && tijd(achttien) <= tot;
    const spoor = (...balken) => {
      const s = el('div', { class: 'spoor', 'aria-hidden': 'true' }, ...balken);
      if (zichtbaar18) s.append(balk('volwassen', tijd(achttien), tot), plaats(el('div', { class: 'achttien' }), tijd(achttien)));
      s.append(plaats(el('div', { class: 'peillijn' }), peil));
      return s;
    };
    const feiten = [`BSN ${m.bsn}`];
    if (m.geboortedatum) feiten.push(`geboren ${datum(m.geboortedatum)}`);
    feiten.push(`lid sinds ${datum(m.van)}${m.tot ? ' tot en met ' + datum(m.tot) : ''}`);
    if (zichtbaar18) feiten.push(`${tijd(achttien) > peil ? 'wordt' : 'werd'} 18 op ${datum(achttien)} (18-/18+)`);
    const kop = m.geboortedatum ? `${naam(m.rol)}, ${leeftijd(m.geboortedatum, v.peildatum)} jaar` : `${naam(m.rol)}, leeftijd onbekend`;
    const regels = m.voorzieningen.map(p => {
      const wet = WETTEN_BEKEND.includes(p.law) ? p.law : 'anders';
      const tekst = p.perioden.map(x => `${datum(x.begindatum)} – ${x.einddatum ? datum(x.einddatum) : 'lopend'}`).join('; ');
      return el('li', {},
        el('span', { class: 'vz-tekst' }, el('span', { class: 'wet ' + wet, text: naam(p.law) }), ` ${p.productcategorieNaam} · ${tekst} · ${p.status}`),
        spoor(...p.perioden.map(x => balk(`balk ${wet}${p.status === 'actueel' ? '' : ' afgelopen'}`, tijd(x.begindatum), x.einddatum ? tijd(x.einddatum) + DAG : tot))));
    });
    if (regels.length === 0) regels.push(el('li', {}, el('span', { class: 'vz-tekst', text: 'Geen voorzieningen die u mag zien.' }), spoor()));
    uit.append(el('article', { class: 'lid', 'data-bsn': m.bsn }, el('h4', { text: kop }), el('p', { class: 'lid-feiten', text: feiten.join(' · ') }),
      el('ul', { class: 'voorzieningen' }, regels)));
  }
}

/** Year ticks with labels, and month ticks while the period is short enough to tell them apart. */
function datumAs(van, tot, plaats) {
  const as = el('div', { class: 'as', 'aria-hidden': 'true' });
  const jaren = (tot - van) / (365.25 * DAG);
  const stap = jaren > 24 ? 5 : jaren > 10 ? 2 : 1;
  const d = new Date(van);
  for (let j = d.getUTCFullYear(); Date.UTC(j, 0, 1) <= tot; j++)
    for (let m = 0; m < 12; m++) {
      const t = Date.UTC(j, m, 1);
      if (t < van || t > tot) continue;
      if (m === 0 && j % stap === 0) as.append(plaats(el('div', { class: 'tik jaar' }, el('span', { text: String(j) })), t));
      else if (jaren <= 4 && m % (jaren <= 1.5 ? 1 : 3) === 0)
        as.append(plaats(el('div', { class: 'tik maand' }, m % 3 === 0 && jaren <= 2.5 ? el('span', { text: maandNotatie.format(t).replace('.', '') }) : null), t));
    }
  // A label reads rightwards from its tick: one too near the right edge would be cut off, so that tick goes without.
  for (const tik of as.children) if (parseFloat(tik.style.left) > 88) tik.replaceChildren();
  return as;
}

// ---- Consents and what they hide -----------------------------------------------------------------------------------

function toonZicht(v) {
  // The platform's laws as the page knows them, and any other law the view names.
  const alle = [...new Set(WETTEN_BEKEND.concat(v.leden.flatMap(m => m.zichtbareWetten)))];
  const verborgen = v.leden.map(m => ({ m, niet: alle.filter(w => !m.zichtbareWetten.includes(w)) })).filter(x => x.niet.length);
  $('afgeschermd').replaceChildren(verborgen.length === 0
    ? el('p', { text: 'U ziet alle voorzieningen van alle leden.' })
    : el('div', {}, el('p', { text: 'U kijkt mee op grond van een toestemming. Wat daarbuiten valt, is afgeschermd: ook de combinatie van wetten en de signalen tellen het niet mee.' }),
      el('ul', {}, verborgen.map(({ m, niet }) => el('li', { text: `${naam(m.rol)} (BSN ${m.bsn}): ${m.zichtbareWetten.length ? 'u ziet alleen ' + opsomming(m.zichtbareWetten.map(naam)) : 'u ziet geen voorzieningen'}; afgeschermd: ${opsomming(niet.map(naam))}.` })))));
  const lid = bsn => v.leden.find(m => m.bsn === bsn);
  if (v.toestemmingen.length === 0) { $('toestemmingen').replaceChildren(el('p', { text: 'Er geldt op de peildatum geen toestemming.' })); return; }
  const kop = ['Gegeven door', 'Aan', 'Wetten', 'Sinds', 'Tot en met', ''];
  $('toestemmingen').replaceChildren(el('table', { class: 'tabel' },
    el('caption', { class: 'visueel-verborgen', text: 'Toestemmingen die op de peildatum gelden' }),
    el('thead', {}, el('tr', {}, kop.map(k => el('th', { scope: 'col' }, k || el('span', { class: 'visueel-verborgen', text: 'Actie' }))))),
    el('tbody', {}, v.toestemmingen.map(c => el('tr', {},
      el('td', { 'data-kop': kop[0], text: `${lid(c.gegevenDoor) ? naam(lid(c.gegevenDoor).rol) + ', ' : ''}BSN ${c.gegevenDoor}` }),
      el('td', { 'data-kop': kop[1], text: c.ontvanger }),
      el('td', { 'data-kop': kop[2], text: opsomming(c.wetten.map(naam)) }),
      el('td', { 'data-kop': kop[3], text: datum(c.van) }),
      el('td', { 'data-kop': kop[4], text: c.tot ? datum(c.tot) : 'tot intrekking' }),
      el('td', {}, el('button', { type: 'button', class: 'secundair klein', id: 'intrekken-' + c.consentId,
        'aria-label': `Intrekken: toestemming aan ${c.ontvanger}`, onclick: () => intrekken(c) }, 'Intrekken')))))));
}

// ---- The plan ------------------------------------------------------------------------------------------------------

function toonPlan(v) {
  const uit = $('plan');
  if (v.plan.length === 0) { uit.replaceChildren(el('p', { text: 'Het plan heeft nog geen doelen.' })); return; }
  const per = LEEFGEBIEDEN.concat(v.plan.map(g => g.leefgebied).filter(l => !LEEFGEBIEDEN.includes(l)))
    .map(l => [l, v.plan.filter(g => g.leefgebied === l)]).filter(([, doelen]) => doelen.length);
  uit.replaceChildren(...per.map(([leefgebied, doelen]) => el('div', { class: 'leefgebied' },
    el('h4', { text: naam(leefgebied) }),
    el('ul', { class: 'doelen' }, doelen.map(g => doelRegel(g, v.plan.length > 1))))));
}

function doelRegel(g, meerDoelen) {
  const knop = (id, label, tekst, onclick) => el('button', { type: 'button', class: 'secundair klein', id, 'aria-label': label, onclick }, tekst);
  const acties = g.acties.length
    ? el('ul', { class: 'acties', 'aria-label': `Acties voor ${g.omschrijving}` }, g.acties.map(a => el('li', {},
      `${a.omschrijving} — ${a.eigenaar} · ${naam(a.status)}${a.deadline ? ' · uiterlijk ' + datum(a.deadline) : ''} `,
      knop('actie-wijzigen-' + a.actionId, `Wijzigen: actie ${a.omschrijving}`, 'Wijzigen', () => actieFormulier(g, a)))))
    : el('p', { class: 'hulp', text: 'Nog geen acties.' });
  return el('li', { class: 'doel', id: 'doel-' + g.goalId },
    el('div', { class: 'doel-kop' }, el('strong', { text: g.omschrijving }), el('span', { class: 'status', text: naam(g.status) })),
    el('p', { text: `Eigenaar: ${g.eigenaar}` }),
    acties,
    g.conflicten.map(c => el('p', { class: 'conflict', text: `Botst met “${c.omschrijving}” (${naam(c.leefgebied)}): ${c.toelichting} — gemarkeerd door ${c.gemarkeerdDoor}` })),
    el('div', { class: 'knoppen' },
      knop('doel-wijzigen-' + g.goalId, `Doel wijzigen: ${g.omschrijving}`, 'Doel wijzigen', () => doelFormulier(g)),
      knop('actie-toevoegen-' + g.goalId, `Actie toevoegen aan ${g.omschrijving}`, 'Actie toevoegen', () => actieFormulier(g)),
      meerDoelen ? knop('botsing-' + g.goalId, `Botsing markeren voor ${g.omschrijving}`, 'Botsing markeren', () => botsingFormulier(g)) : null));
}

// ---- Regie and involved parties ------------------------------------------------------------------------------------

function toonRegie(v) {
  $('regie-tekst').textContent = v.regisseur ? `${v.regisseur.naam} (${v.regisseur.regisseurId}) heeft de regie sinds ${datum(v.regisseur.van)}.` : 'Dit huishouden heeft geen regisseur.';
  $('regie-overdragen').hidden = $('regie-beeindigen').hidden = !v.regisseur;
  if (v.betrokkenen.length === 0) { $('betrokkenen').replaceChildren(el('p', { text: 'Er zijn geen andere betrokkenen vastgelegd.' })); return; }
  const kop = ['Naam', 'Organisatie', 'Domein', 'Voert regie', 'Periode'];
  $('betrokkenen').replaceChildren(el('table', { class: 'tabel' },
    el('caption', { class: 'visueel-verborgen', text: 'Betrokkenen' }),
    el('thead', {}, el('tr', {}, kop.map(k => el('th', { scope: 'col', text: k })))),
    el('tbody', {}, v.betrokkenen.map(p => el('tr', {},
      el('td', { 'data-kop': kop[0], text: p.naam }), el('td', { 'data-kop': kop[1], text: p.organisatie }),
      el('td', { 'data-kop': kop[2], text: naam(p.domein) }), el('td', { 'data-kop': kop[3], text: p.regie ? 'ja' : 'nee' }),
      el('td', { 'data-kop': kop[4], text: `${datum(p.van)} – ${p.tot ? datum(p.tot) : 'heden'}` }))))));
}

// ---- Forms in a dialog: every change goes through the API and its policy -------------------------------------------

let dialoogBezig = null;

/** Opens a form; on success reloads the household and puts the focus back where the user was. */
function formulier({ titel, velden, knop = 'Opslaan', actie, verzend, focus, daarna }) {
  const dialoog = $('dialoog');
  $('dialoog-kop').textContent = titel;
  $('dialoog-opslaan').textContent = knop;
  $('dialoog-melding').replaceChildren();
  $('dialoog-velden').replaceChildren(...velden.map(veld));
  const terug = focus || '#' + (document.activeElement?.id || 'hh-kop');
  dialoogBezig = async () => {
    const waarden = {};
    for (const v of velden) {
      if (v.type === 'wetten') waarden[v.naam] = [...document.querySelectorAll(`input[name="${v.naam}"]:checked`)].map(c => c.value);
      else waarden[v.naam] = $('veld-' + v.naam).value.trim() || null;
    }
    const ontbreekt = velden.filter(v => v.verplicht && (waarden[v.naam] === null || (Array.isArray(waarden[v.naam]) && waarden[v.naam].length === 0)));
    if (ontbreekt.length) throw new Fout(ontbreekt.map(v => `${v.label}: vul dit in.`).join(' '));
    await verzend(waarden);
    return daarna;
  };
  dialoog.dataset.actie = actie;
  dialoog.dataset.terug = terug;
  dialoog.showModal();
}

function veld(v) {
  const id = 'veld-' + v.naam;
  if (v.type === 'wetten')
    return el('fieldset', {}, el('legend', { text: v.label }), WETTEN_BEKEND.map(w => el('label', {},
      el('input', { type: 'checkbox', name: v.naam, value: w, checked: (v.waarde || []).includes(w) }), naam(w))));
  const invoer = v.type === 'select'
    ? el('select', { id }, v.leeg ? el('option', { value: '', text: v.leeg }) : null, v.opties.map(([waarde, tekst]) => el('option', { value: waarde, text: tekst, selected: waarde === v.waarde })))
    : v.type === 'textarea' ? el('textarea', { id, text: v.waarde || '' })
    : el('input', { id, type: v.type || 'text', value: v.waarde || '', autocomplete: 'off' });
  if (v.verplicht) invoer.setAttribute('aria-required', 'true');
  return el('div', { class: 'veld' }, el('label', { for: id, text: v.label + (v.verplicht ? '' : ' (niet verplicht)') }), invoer);
}

async function dialoogVerzenden(event) {
  event.preventDefault();
  const dialoog = $('dialoog'), knop = $('dialoog-opslaan');
  const voor = JSON.stringify(huidig.view);
  let daarna;
  knop.disabled = true;
  try {
    daarna = await dialoogBezig();
  } catch (e) {
    toonFout($('dialoog-melding'), e);
    return;
  } finally { knop.disabled = false; }
  dialoog.close();
  if (daarna) return daarna(voor);
  try {
    toonWijziging(await naWijziging(voor), dialoog.dataset.terug);
    toonGelukt('Opgeslagen.');
  } catch (e) { toonFout($('melding'), e); }
}

/**
 * The household once a change shows in it: the Households service takes the change, and the view follows a moment
 * later, when its event has arrived. Until then the view reads as before.
 */
async function naWijziging(voor) {
  const peildatum = $('peildatum').value;
  for (let poging = 1; ; poging++) {
    const view = await api(`/households/${huidig.id}${peildatum ? '?date=' + peildatum : ''}`, { actie: 'huishouden' });
    if (JSON.stringify(view) !== voor || poging === 25) return view;
    await new Promise(klaar => setTimeout(klaar, 200));
  }
}

function toonWijziging(view, focus) {
  huidig.view = view;
  toonHuishouden(view);
  (document.querySelector(focus) || $('hh-kop')).focus();
}

const uuid = () => crypto.randomUUID();
const hh = () => `/households/${huidig.id}`;
const opties = (codes) => codes.map(c => [c, naam(c)]);

function doelFormulier(g) {
  formulier({
    titel: g ? 'Doel wijzigen' : 'Doel toevoegen', actie: 'plan',
    focus: g ? '#doel-wijzigen-' + g.goalId : '#doel-toevoegen',
    velden: [
      { naam: 'leefgebied', label: 'Leefgebied', type: 'select', opties: opties(LEEFGEBIEDEN), waarde: g?.leefgebied, leeg: g ? null : 'Kies een leefgebied', verplicht: true },
      { naam: 'omschrijving', label: 'Omschrijving', type: 'textarea', waarde: g?.omschrijving, verplicht: true },
      { naam: 'eigenaar', label: 'Eigenaar (het gezinslid of de partij die het doel draagt)', waarde: g?.eigenaar, verplicht: true },
      { naam: 'status', label: 'Status', type: 'select', opties: opties(STATUSSEN), waarde: g?.status || 'Open', verplicht: true },
    ],
    verzend: w => api(`${hh()}/plan/goals/${g ? g.goalId : uuid()}`, { methode: 'PUT', body: w, actie: 'plan' }),
  });
}

function actieFormulier(g, a) {
  formulier({
    titel: a ? 'Actie wijzigen' : `Actie toevoegen aan “${g.omschrijving}”`, actie: 'plan',
    focus: a ? '#actie-wijzigen-' + a.actionId : '#actie-toevoegen-' + g.goalId,
    velden: [
      { naam: 'omschrijving', label: 'Omschrijving', type: 'textarea', waarde: a?.omschrijving, verplicht: true },
      { naam: 'eigenaar', label: 'Eigenaar (wie de actie uitvoert)', waarde: a?.eigenaar, verplicht: true },
      { naam: 'status', label: 'Status', type: 'select', opties: opties(STATUSSEN), waarde: a?.status || 'Open', verplicht: true },
      { naam: 'deadline', label: 'Uiterlijk', type: 'date', waarde: a?.deadline },
    ],
    verzend: w => api(`${hh()}/plan/goals/${g.goalId}/actions/${a ? a.actionId : uuid()}`, { methode: 'PUT', body: w, actie: 'plan' }),
  });
}

function botsingFormulier(g) {
  formulier({
    titel: `Botsing markeren voor “${g.omschrijving}”`, actie: 'plan', knop: 'Markeren', focus: '#botsing-' + g.goalId,
    velden: [
      { naam: 'conflictsWithGoalId', label: 'Botst met het doel', type: 'select', leeg: 'Kies een doel', verplicht: true,
        opties: huidig.view.plan.filter(x => x.goalId !== g.goalId).map(x => [x.goalId, `${x.omschrijving} (${naam(x.leefgebied)})`]) },
      { naam: 'toelichting', label: 'Toelichting', type: 'textarea', verplicht: true },
      { naam: 'gemarkeerdDoor', label: 'Gemarkeerd door', waarde: sessie.wie.gebruiker, verplicht: true },
    ],
    verzend: w => api(`${hh()}/plan/goals/${g.goalId}/conflicts`, { methode: 'POST', body: w, actie: 'plan' }),
  });
}

function toestemmingFormulier() {
  formulier({
    titel: 'Toestemming vastleggen', actie: 'toestemming', knop: 'Vastleggen', focus: '#toestemming-toevoegen',
    velden: [
      { naam: 'gegevenDoor', label: 'Gegeven door', type: 'select', leeg: 'Kies een lid', verplicht: true,
        opties: huidig.view.leden.map(m => [m.bsn, `${naam(m.rol)}, BSN ${m.bsn}`]) },
      { naam: 'ontvanger', label: 'Aan (gebruikersnaam van de regisseur die mag meekijken)', verplicht: true },
      { naam: 'wetten', label: 'Voor de voorzieningen onder', type: 'wetten', verplicht: true },
      { naam: 'van', label: 'Vanaf', type: 'date', waarde: vandaag(), verplicht: true },
      { naam: 'tot', label: 'Tot en met', type: 'date' },
    ],
    verzend: w => api(`${hh()}/consents`, { methode: 'POST', body: w, actie: 'toestemming' }),
  });
}

function intrekken(c) {
  formulier({
    titel: `Toestemming aan ${c.ontvanger} intrekken`, actie: 'intrekken', knop: 'Intrekken', focus: '#toestemming-toevoegen',
    velden: [{ naam: 'per', label: 'Per', type: 'date', waarde: vandaag(), verplicht: true }],
    verzend: w => api(`${hh()}/consents/${c.consentId}/withdraw`, { methode: 'POST', body: w, actie: 'intrekken' }),
  });
}

function overdragenFormulier() {
  formulier({
    titel: 'Regie overdragen', actie: 'overdragen', knop: 'Overdragen', focus: '#regie-overdragen',
    velden: [
      { naam: 'regisseurId', label: 'Gebruikersnaam nieuwe regisseur', verplicht: true },
      { naam: 'naam', label: 'Naam nieuwe regisseur', verplicht: true },
      { naam: 'per', label: 'Per', type: 'date', waarde: vandaag(), verplicht: true },
    ],
    verzend: w => api(`${hh()}/regisseur/transfer`, { methode: 'POST', body: w, actie: 'overdragen' }),
    daarna: voor => regieAfgegeven('De regie is overgedragen.', voor),
  });
}

function beeindigenFormulier() {
  formulier({
    titel: 'Regie beëindigen', actie: 'beeindigen', knop: 'Beëindigen', focus: '#regie-kop',
    velden: [{ naam: 'tot', label: 'Laatste dag van de regie', type: 'date', waarde: vandaag(), verplicht: true }],
    verzend: w => api(`${hh()}/regisseur/release`, { methode: 'POST', body: w, actie: 'beeindigen' }),
    daarna: voor => regieAfgegeven('De regie is beëindigd.', voor),
  });
}

/** Without the regie the household is no longer the caller's to see: it closes, and the worklist follows. */
async function regieAfgegeven(tekst, voor) {
  try {
    toonWijziging(await naWijziging(voor), '#regie-kop');
    toonGelukt(tekst);
  } catch {
    huidig = null;
    $('huishouden').hidden = true;
    toonGelukt(`${tekst} Het huishouden staat niet meer op uw lijst.`);
    $('lijst-kop').focus();
  }
  await laadWerklijst();
}

function betrokkeneFormulier() {
  formulier({
    titel: 'Betrokkene toevoegen', actie: 'betrokkene', knop: 'Toevoegen', focus: '#betrokkene-toevoegen',
    velden: [
      { naam: 'naam', label: 'Naam', verplicht: true },
      { naam: 'organisatie', label: 'Organisatie', verplicht: true },
      { naam: 'domein', label: 'Domein', type: 'select', leeg: 'Kies een domein', opties: opties(DOMEINEN), verplicht: true },
      { naam: 'van', label: 'Vanaf', type: 'date', waarde: vandaag(), verplicht: true },
      { naam: 'tot', label: 'Tot en met', type: 'date' },
    ],
    verzend: w => api(`${hh()}/involved-parties`, { methode: 'POST', body: w, actie: 'betrokkene' }),
  });
}

// ---- Wiring --------------------------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('token-formulier').addEventListener('submit', async event => {
    event.preventDefault();
    const veld = $('token');
    sessie.token = veld.value.trim();
    // The token is a password: it does not stay on the screen.
    veld.value = '';
    if (sessie.token && await sessieOpen()) return;
    veld.focus();
  });
  $('afmelden').addEventListener('click', afmelden);
  $('doel-formulier').addEventListener('submit', event => {
    event.preventDefault();
    if (!$('doel').value) { toonFout($('melding'), new Fout('Kies het doel van deze sessie.')); $('doel').focus(); return; }
    sessie.doel = $('doel').value;
    wisMelding();
    doelGekozen();
    $('bsn').focus();
  });
  $('doel-wijzigen').addEventListener('click', () => {
    sessie.doel = null;
    $('doel').value = '';
    $('doel-formulier').hidden = false;
    $('doel-gekozen').hidden = true;
    $('werk').hidden = true;
    $('doel').focus();
  });
  $('zoek-formulier').addEventListener('submit', zoek);
  $('meer').addEventListener('click', () => laadWerklijst(true));
  $('peil-formulier').addEventListener('submit', event => { event.preventDefault(); openHuishouden(huidig.id, { peildatum: $('peildatum').value, focus: '#peildatum' }); });
  $('doel-toevoegen').addEventListener('click', () => doelFormulier());
  $('toestemming-toevoegen').addEventListener('click', toestemmingFormulier);
  $('regie-overdragen').addEventListener('click', overdragenFormulier);
  $('regie-beeindigen').addEventListener('click', beeindigenFormulier);
  $('betrokkene-toevoegen').addEventListener('click', betrokkeneFormulier);
  $('dialoog-formulier').addEventListener('submit', dialoogVerzenden);
  $('dialoog-annuleren').addEventListener('click', () => $('dialoog').close());
  $('dialoog').addEventListener('close', () => { const terug = document.querySelector($('dialoog').dataset.terug || '#hh-kop'); terug?.focus(); });
  start();
});
