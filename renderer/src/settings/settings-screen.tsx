import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../app/contract/index.ts';
import type { User } from '../../../app/contract/index.ts';
import { ApiError, callScribe, errorText } from '../bridge.ts';
import './settings.css';
import { SettingsPanel } from '../metrics/settings-panel.tsx';
import { useScreenTitle } from '../shell/use-screen-title.ts';

type SettingsView = CallOutput<'settings.get'>;
type Assets = CallOutput<'assets.list'>;
type Engines = CallOutput<'transcription.engines'>;
type EhrCheck = CallOutput<'settings.checkEhr'>;
type Retention = CallOutput<'retention.get'>;
type Message = { kind: 'ok' | 'error'; text: string } | null;

/** A saved / error line under a section (text only: anything the core or an EHR said is shown as text). */
function Status({ message, testId }: { message: Message; testId: string }) {
  if (!message) return null;
  return (
    <p
      className={message.kind === 'ok' ? 'settings-saved' : 'error'}
      role={message.kind === 'ok' ? 'status' : 'alert'}
      data-testid={testId}
    >
      {message.text}
    </p>
  );
}

/**
 * A practice server's address and model name, for recognition or drafting alike (one component, decision 0205): the
 * address with its error beside it, the model, and, where the step allows them, the plain-http addresses IT allows.
 * Rendered into a settings grid (label, field, label, field).
 */
function PracticeServerFields({
  ids,
  placeholders,
  url,
  model,
  plain,
  disabled,
  urlError = null,
  onUrl,
  onModel,
  onPlain,
}: {
  /** Element ids, also the test ids; the address error is `${ids.url}-error`. */
  ids: { url: string; model: string; plain?: string };
  placeholders: { url: string; model: string };
  url: string;
  model: string;
  plain?: string;
  disabled: boolean;
  urlError?: string | null;
  onUrl: (value: string) => void;
  onModel: (value: string) => void;
  onPlain?: (value: string) => void;
}) {
  const errorId = `${ids.url}-error`;
  return (
    <>
      <label htmlFor={ids.url}>Server address</label>
      <div className="settings-field">
        <input
          id={ids.url}
          data-testid={ids.url}
          type="url"
          placeholder={placeholders.url}
          value={url}
          disabled={disabled}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? errorId : undefined}
          onChange={(e) => onUrl(e.target.value)}
        />
        {urlError && (
          <p className="error field-error" id={errorId} role="alert" data-testid={errorId}>
            {urlError}
          </p>
        )}
      </div>
      <label htmlFor={ids.model}>Model name</label>
      <input
        id={ids.model}
        data-testid={ids.model}
        placeholder={placeholders.model}
        value={model}
        disabled={disabled}
        onChange={(e) => onModel(e.target.value)}
      />
      {ids.plain && onPlain && (
        <>
          <label htmlFor={ids.plain}>Plain-http addresses IT allows</label>
          <input
            id={ids.plain}
            data-testid={ids.plain}
            placeholder="none (comma-separated)"
            value={plain ?? ''}
            disabled={disabled}
            onChange={(e) => onPlain(e.target.value)}
          />
        </>
      )}
    </>
  );
}

function RecognitionSection({ view, canEdit, onSaved }: { view: SettingsView; canEdit: boolean; onSaved: (v: SettingsView) => void }) {
  const [engine, setEngine] = useState(view.recognition.engine);
  const [model, setModel] = useState<string | null>(view.recognition.model);
  const [serverUrl, setServerUrl] = useState(view.recognition.server?.baseUrl ?? '');
  const [serverModel, setServerModel] = useState(view.recognition.server?.model ?? '');
  const [plainHosts, setPlainHosts] = useState((view.recognition.server?.allowedPlainHosts ?? []).join(', '));
  const [engines, setEngines] = useState<Engines | null>(null);
  const [assets, setAssets] = useState<Assets | null>(null);
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => {
    callScribe('transcription.engines', {}).then(setEngines, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }));
    callScribe('assets.list', {}).then(setAssets, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }));
  }, []);

  const speechModels = engines?.models.filter((m) => m.role === 'offline' || m.role === 'streaming') ?? [];
  const chosen = speechModels.find((m) => m.name === model);
  const save = () => {
    setMessage(null);
    // The transcription server is kept when another engine is chosen, so switching back needs no retyping.
    const server =
      engine === 'server' || serverUrl.trim()
        ? {
            baseUrl: serverUrl.trim(),
            model: serverModel.trim(),
            allowedPlainHosts: plainHosts
              .split(',')
              .map((h) => h.trim())
              .filter(Boolean),
          }
        : null;
    callScribe('settings.set', { recognition: { engine, model: engine === 'sherpa' ? model : null, server } }).then(
      (v) => {
        onSaved(v);
        setMessage({ kind: 'ok', text: 'Saved. The next visit or dictation uses it; no restart needed.' });
      },
      (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }),
    );
  };

  return (
    <section className="settings-section" aria-labelledby="settings-recognition">
      <h2 id="settings-recognition">Speech recognition</h2>
      <p className="muted">
        {engine === 'server'
          ? "Each stretch of speech is sent to the practice's transcription server (https, or an address IT allowed); live text comes from this workstation."
          : 'Recognition runs on this workstation; no audio leaves it.'}
      </p>
      {view.engineOverride && (
        <p className="settings-note" data-testid="settings-engine-override">
          This run was started with <code>--engine {view.engineOverride}</code>, which takes precedence over the saved engine until Scribe
          is restarted without it.
        </p>
      )}
      <div className="settings-grid">
        <label htmlFor="settings-engine">Engine</label>
        <select
          id="settings-engine"
          data-testid="settings-engine"
          value={engine}
          disabled={!canEdit}
          onChange={(e) => {
            const next = e.target.value as 'sphinx' | 'sherpa' | 'server';
            setEngine(next);
            if (next === 'sherpa' && !model) setModel(engines?.defaultSherpaModel ?? speechModels[0]?.name ?? null);
          }}
        >
          {(
            engines?.engines ?? [
              { name: 'sphinx' as const, installed: true, description: '' },
              { name: 'sherpa' as const, installed: false, description: '' },
            ]
          ).map((e) => (
            <option key={e.name} value={e.name}>
              {e.name === 'sphinx' ? 'Sphinx (pocketsphinx)' : e.name === 'sherpa' ? 'Sherpa-ONNX' : 'Practice transcription server'}
              {e.installed ? '' : ' (models not installed)'}
            </option>
          ))}
        </select>
        {engine === 'server' && (
          <PracticeServerFields
            ids={{ url: 'settings-asr-server', model: 'settings-asr-model', plain: 'settings-asr-plain' }}
            placeholders={{ url: 'https://asr.clinic.local:8000', model: 'Systran/faster-whisper-small.en' }}
            url={serverUrl}
            model={serverModel}
            plain={plainHosts}
            disabled={!canEdit}
            onUrl={setServerUrl}
            onModel={setServerModel}
            onPlain={setPlainHosts}
          />
        )}
        {engine === 'sherpa' && (
          <>
            <label htmlFor="settings-model">Model</label>
            <select
              id="settings-model"
              data-testid="settings-model"
              value={model ?? ''}
              disabled={!canEdit}
              onChange={(e) => setModel(e.target.value)}
            >
              {speechModels.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name} ({m.role}
                  {m.installed ? ', installed' : ', not installed'})
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {engines && <p className="muted">{engines.engines.find((e) => e.name === engine)?.description}</p>}
      {engine === 'sherpa' && chosen && !chosen.installed && (
        <p className="settings-note" data-testid="settings-model-missing">
          {chosen.name} is not installed: visits will fail to transcribe until an administrator runs <code>{chosen.installCommand}</code>.
        </p>
      )}
      {canEdit && (
        <div className="actions">
          <button type="button" className="primary" data-testid="settings-recognition-save" onClick={save}>
            Save speech recognition
          </button>
        </div>
      )}
      <Status message={message} testId="settings-recognition-status" />

      <h3>Model and terminology packs on this workstation</h3>
      {!assets ? (
        <p className="loading">Reading installed packs…</p>
      ) : (
        <table className="settings-assets" data-testid="settings-assets">
          <thead>
            <tr>
              <th>Pack</th>
              <th>Kind</th>
              <th>Version</th>
              <th>Status</th>
              <th>Size</th>
              <th>Licence</th>
              <th>To install</th>
            </tr>
          </thead>
          <tbody>
            {assets.map((a) => (
              <tr key={a.name} data-testid={`asset-${a.name}`} data-state={a.state}>
                <td>{a.name}</td>
                <td>{a.kind}</td>
                <td>{a.installedVersion && a.installedVersion !== a.version ? `${a.installedVersion} → ${a.version}` : a.version}</td>
                <td className={`asset-${a.state}`}>
                  {a.state === 'installed' ? 'Installed' : a.state === 'outdated' ? 'Outdated' : 'Not installed'}
                </td>
                <td>{(a.sizeBytes / 1e6).toFixed(a.sizeBytes < 1e7 ? 1 : 0)} MB</td>
                <td>{a.licence}</td>
                <td>{a.state === 'installed' ? '' : <code>{a.installCommand}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CheckResult({ check }: { check: EhrCheck }) {
  return (
    <dl className="settings-check" data-testid="settings-ehr-check-result">
      <dt>FHIR server</dt>
      <dd>
        FHIR {check.fhir.fhirVersion}
        {check.fhir.software ? ` — ${check.fhir.software}` : ''} at {check.baseUrl}
      </dd>
      <dt>SMART sign-in</dt>
      <dd>
        Authorize: {check.smart.authorizationEndpoint}
        <br />
        Token: {check.smart.tokenEndpoint}
        <br />
        PKCE S256: {check.smart.pkceS256 ? 'yes' : 'not advertised'}
        {check.smart.capabilities.length > 0 && (
          <>
            <br />
            Capabilities: {check.smart.capabilities.join(', ')}
          </>
        )}
      </dd>
      <dt>Writing notes</dt>
      <dd data-testid="settings-ehr-write-plan" data-mode={check.writePlan.mode}>
        {check.writePlan.ehrName ? `${check.writePlan.ehrName}: ` : ''}
        {check.writePlan.summary}
        {check.writePlan.notSent.length > 0 && (
          <>
            <br />
            It will not receive: {check.writePlan.notSent.join('; ')}.
          </>
        )}
      </dd>
      <dt>Resources</dt>
      <dd>
        {!check.fhir.resourcesListed
          ? 'The server does not list its resource types.'
          : check.fhir.missing.length === 0
            ? 'Every resource Scribe uses is supported.'
            : `Not listed by the server: ${check.fhir.missing.join(', ')}`}
      </dd>
    </dl>
  );
}

/** The EHR connection: where patient data goes is the practice manager's to set (standing in for the IT admin; the core
 * refuses anyone else, issue 15); a clinician sees it read-only, told so next to it, and can still check the EHR in use. */
function EhrSection({
  view,
  canEdit,
  canCheck,
  onSaved,
}: {
  view: SettingsView;
  canEdit: boolean;
  canCheck: boolean;
  onSaved: (v: SettingsView) => void;
}) {
  const [mode, setMode] = useState(view.ehr.mode);
  const [baseUrl, setBaseUrl] = useState(view.ehr.baseUrl ?? '');
  const [clientId, setClientId] = useState(view.ehr.clientId ?? '');
  const [name, setName] = useState(view.ehr.name ?? '');
  const [identifierBase, setIdentifierBase] = useState(view.ehr.identifierBase ?? '');
  const [organization, setOrganization] = useState(view.ehr.organization ?? '');
  const [redirectPort, setRedirectPort] = useState(view.ehr.redirectPort == null ? '' : String(view.ehr.redirectPort));
  const [check, setCheck] = useState<EhrCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);

  const target = mode === 'sandbox' ? (view.ehrInUse.mode === 'sandbox' ? view.ehrInUse.baseUrl : '') : baseUrl.trim();
  const runCheck = () => {
    setCheck(null);
    setCheckError(null);
    if (!target) {
      setCheckError(mode === 'sandbox' ? 'The sandbox EHR starts with Scribe; restart to check it.' : 'Enter the EHR base URL first.');
      return;
    }
    setChecking(true);
    callScribe('settings.checkEhr', { baseUrl: target })
      .then(setCheck, (e: unknown) => setCheckError(errorText(e)))
      .finally(() => setChecking(false));
  };
  const save = () => {
    setMessage(null);
    const port = redirectPort.trim() ? Number(redirectPort.trim()) : null;
    if (port !== null && !Number.isInteger(port)) {
      setMessage({ kind: 'error', text: 'The sign-in port must be a whole number (or empty for any free port).' });
      return;
    }
    const ehr =
      mode === 'sandbox'
        ? { mode, baseUrl: null, clientId: null }
        : {
            mode,
            baseUrl: baseUrl.trim() || null,
            clientId: clientId.trim() || null,
            name: name.trim() || null,
            identifierBase: identifierBase.trim() || null,
            organization: organization.trim() || null,
            redirectPort: port,
          };
    callScribe('settings.set', { ehr }).then(
      (v) => {
        onSaved(v);
        setMessage({ kind: 'ok', text: 'Saved. Scribe connects to this EHR the next time it starts.' });
      },
      (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }),
    );
  };

  return (
    <section className="settings-section" aria-labelledby="settings-ehr">
      <h2 id="settings-ehr">EHR connection</h2>
      <p className="muted" data-testid="settings-ehr-in-use">
        In use now: {view.ehrInUse.mode === 'sandbox' ? 'the sandbox EHR (demo data, not a real chart)' : 'FHIR EHR'} at{' '}
        {view.ehrInUse.baseUrl}. Changes apply when Scribe next starts.
      </p>
      {!canEdit && (
        <p className="settings-note" id="settings-ehr-readonly" data-testid="settings-ehr-readonly">
          Only the practice manager (or IT admin) can change the EHR connection: where patient data goes is the practice's decision.
        </p>
      )}
      <div className="settings-grid">
        <label htmlFor="settings-ehr-mode">Connect to</label>
        <select
          id="settings-ehr-mode"
          data-testid="settings-ehr-mode"
          value={mode}
          disabled={!canEdit}
          aria-describedby={canEdit ? undefined : 'settings-ehr-readonly'}
          onChange={(e) => setMode(e.target.value as 'sandbox' | 'fhir')}
        >
          <option value="sandbox">Sandbox EHR (built in, demo data)</option>
          <option value="fhir">The clinic's EHR (FHIR R4 with SMART on FHIR sign-in)</option>
        </select>
        {mode === 'fhir' && (
          <>
            <label htmlFor="settings-ehr-url">FHIR base URL</label>
            <input
              id="settings-ehr-url"
              data-testid="settings-ehr-url"
              type="url"
              placeholder="https://ehr.example.org/fhir/R4"
              value={baseUrl}
              disabled={!canEdit}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
            <label htmlFor="settings-ehr-client">Client id</label>
            <input
              id="settings-ehr-client"
              data-testid="settings-ehr-client"
              placeholder="as registered for Scribe in the EHR"
              value={clientId}
              disabled={!canEdit}
              onChange={(e) => setClientId(e.target.value)}
            />
            <label htmlFor="settings-ehr-name">EHR name (header)</label>
            <input
              id="settings-ehr-name"
              data-testid="settings-ehr-name"
              placeholder="from the EHR when empty"
              value={name}
              disabled={!canEdit}
              onChange={(e) => setName(e.target.value)}
            />
            <label htmlFor="settings-ehr-idbase">Identifier base URL</label>
            <input
              id="settings-ehr-idbase"
              data-testid="settings-ehr-idbase"
              type="url"
              placeholder="a URL the practice owns, e.g. https://clinic.example.org/fhir/identifier"
              value={identifierBase}
              disabled={!canEdit}
              onChange={(e) => setIdentifierBase(e.target.value)}
            />
            <label htmlFor="settings-ehr-org">Practice Organization</label>
            <input
              id="settings-ehr-org"
              data-testid="settings-ehr-org"
              placeholder="Organization/123, when encounters name none"
              value={organization}
              disabled={!canEdit}
              onChange={(e) => setOrganization(e.target.value)}
            />
            <label htmlFor="settings-ehr-port">Sign-in redirect port</label>
            <input
              id="settings-ehr-port"
              data-testid="settings-ehr-port"
              inputMode="numeric"
              placeholder="any free port; set if the EHR registered one"
              value={redirectPort}
              disabled={!canEdit}
              onChange={(e) => setRedirectPort(e.target.value)}
            />
          </>
        )}
      </div>
      {canCheck && (
        <div className="actions">
          <button type="button" data-testid="settings-ehr-check" onClick={runCheck} disabled={checking}>
            {checking ? 'Checking…' : 'Check connection'}
          </button>
          {canEdit && (
            <button type="button" className="primary" data-testid="settings-ehr-save" onClick={save}>
              Save EHR connection
            </button>
          )}
        </div>
      )}
      {checkError && (
        <p className="error" role="alert" data-testid="settings-ehr-check-error">
          {checkError}
        </p>
      )}
      {check && <CheckResult check={check} />}
      <Status message={message} testId="settings-ehr-status" />
    </section>
  );
}

type DraftingView = CallOutput<'settings.drafting'>;
type DraftingCheck = CallOutput<'settings.checkDrafting'>;

/** The problems the core found, by the setting they concern (ApiError details.fields), else null. */
function fieldErrorsOf(e: unknown): Record<string, string> | null {
  const details = e instanceof ApiError ? e.details : null;
  if (!details || typeof details !== 'object' || !('fields' in details)) return null;
  const fields = (details as { fields: unknown }).fields;
  return fields && typeof fields === 'object' ? (fields as Record<string, string>) : null;
}

const gb = (n: number): string => `${(n / 1e9).toFixed(1)} GB`;

/** Drafting: the engine, the local model packs with the hardware check, the practice server and its keychain-held key, and Check (decision 0114). */
function DraftingSection({ view, canEdit, onSaved }: { view: SettingsView; canEdit: boolean; onSaved: (v: SettingsView) => void }) {
  const [engine, setEngine] = useState(view.drafting.engine);
  const [model, setModel] = useState(view.drafting.model ?? '');
  const [baseUrl, setBaseUrl] = useState(view.drafting.server?.baseUrl ?? '');
  const [serverModel, setServerModel] = useState(view.drafting.server?.model ?? '');
  const [allowed] = useState(view.drafting.server?.allowedPlainHosts ?? []);
  const [info, setInfo] = useState<DraftingView | null>(null);
  const [apiKey, setApiKey] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const [check, setCheck] = useState<DraftingCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [keyMessage, setKeyMessage] = useState<Message>(null);

  useEffect(() => {
    callScribe('settings.drafting', {}).then(
      (d) => {
        setInfo(d);
        if (!view.drafting.model && d.recommended) setModel(d.recommended);
      },
      (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }),
    );
  }, [view.drafting.model]);

  const choice = () => ({
    engine,
    model: engine === 'llm' ? model.trim() || null : null,
    server: engine === 'server' ? { baseUrl: baseUrl.trim(), model: serverModel.trim(), allowedPlainHosts: allowed } : null,
  });
  const failed = (e: unknown, show: (text: string) => void) => {
    const url = fieldErrorsOf(e)?.['drafting.server.baseUrl'] ?? null;
    setUrlError(url);
    if (!url) show(errorText(e));
  };
  const save = () => {
    setMessage(null);
    setUrlError(null);
    callScribe('settings.set', { drafting: choice() }).then(
      (v) => {
        onSaved(v);
        setMessage({ kind: 'ok', text: 'Saved. The next draft uses it; no restart needed.' });
      },
      (e: unknown) => failed(e, (text) => setMessage({ kind: 'error', text })),
    );
  };
  const runCheck = () => {
    setCheck(null);
    setUrlError(null);
    setChecking(true);
    callScribe('settings.checkDrafting', { drafting: choice() })
      .then(setCheck, (e: unknown) =>
        failed(e, (text) => setCheck({ ok: false, engine, model: null, seconds: null, tokens: null, summary: text })),
      )
      .finally(() => setChecking(false));
  };
  const saveKey = (key: string | null) => {
    setKeyMessage(null);
    callScribe('settings.setDraftingKey', { apiKey: key }).then(
      (r) => {
        setInfo((d) => (d ? { ...d, apiKeySet: r.apiKeySet } : d));
        setApiKey('');
        setKeyMessage({ kind: 'ok', text: r.apiKeySet ? 'API key stored in the OS keychain.' : 'API key removed from the OS keychain.' });
      },
      (e: unknown) => setKeyMessage({ kind: 'error', text: errorText(e) }),
    );
  };
  const chosenPack = info?.packs.find((p) => p.name === model);

  return (
    <section className="settings-section" aria-labelledby="settings-drafting">
      <h2 id="settings-drafting">Note drafting</h2>
      <p className="muted">
        Every engine's sentences cite the transcript; a fact the visit does not support is flagged before signing. When a model fails, the
        built-in draft appears with the reason.
      </p>
      <div className="settings-grid">
        <label htmlFor="settings-draft-engine">Engine</label>
        <select
          id="settings-draft-engine"
          data-testid="settings-draft-engine"
          value={engine}
          disabled={!canEdit}
          onChange={(e) => setEngine(e.target.value as typeof engine)}
        >
          <option value="builtin">Built-in drafter (always available)</option>
          <option value="llm">Language model on this workstation</option>
          <option value="server">The practice's language-model server</option>
        </select>
        {engine === 'llm' && (
          <>
            <label htmlFor="settings-draft-model">Model pack</label>
            <select
              id="settings-draft-model"
              data-testid="settings-draft-model"
              value={model}
              disabled={!canEdit}
              onChange={(e) => setModel(e.target.value)}
            >
              {model && !info?.packs.some((p) => p.name === model) && <option value={model}>{model}</option>}
              {info?.packs.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} ({p.parameters}, needs {gb(p.memoryBytes)}
                  {p.installed ? ', installed' : ', not installed'}
                  {p.name === info.recommended ? ', recommended' : ''}
                  {p.fits ? '' : ', will not fit'})
                </option>
              ))}
            </select>
          </>
        )}
        {engine === 'server' && (
          <>
            <PracticeServerFields
              ids={{ url: 'settings-draft-url', model: 'settings-draft-server-model' }}
              placeholders={{ url: 'https://llm.clinic.local:8000', model: 'as the server names it, e.g. qwen3-8b' }}
              url={baseUrl}
              model={serverModel}
              disabled={!canEdit}
              urlError={urlError}
              onUrl={(value) => {
                setBaseUrl(value);
                setUrlError(null);
              }}
              onModel={setServerModel}
            />
            <label htmlFor="settings-draft-key">API key (optional)</label>
            <div className="settings-field">
              <span data-testid="settings-draft-key-state">
                {info ? (info.apiKeySet ? 'Set (kept in the OS keychain)' : 'Not set') : '…'}
              </span>
              {canEdit && (
                <span className="settings-inline">
                  <input
                    id="settings-draft-key"
                    data-testid="settings-draft-key"
                    type="password"
                    autoComplete="off"
                    placeholder="paste a new key"
                    value={apiKey}
                    onChange={(e) => setApiKey(e.target.value)}
                  />
                  <button
                    type="button"
                    data-testid="settings-draft-key-save"
                    disabled={!apiKey.trim()}
                    onClick={() => saveKey(apiKey.trim())}
                  >
                    Store key
                  </button>
                  {info?.apiKeySet && (
                    <button type="button" data-testid="settings-draft-key-remove" onClick={() => saveKey(null)}>
                      Remove key
                    </button>
                  )}
                </span>
              )}
            </div>
          </>
        )}
      </div>
      {engine === 'llm' && info && (
        <p className="muted" data-testid="settings-draft-hardware">
          This workstation: {gb(info.hardware.totalMemoryBytes)} of memory, {info.hardware.cores} cores,{' '}
          {info.hardware.gpu ? `${info.hardware.gpu} GPU with ${gb(info.hardware.gpuMemoryBytes)}` : 'no usable GPU'}.{' '}
          {info.recommended ? `Recommended: ${info.recommended}.` : 'No model pack fits: use the built-in drafter or a practice server.'}
        </p>
      )}
      {engine === 'llm' && chosenPack && !chosenPack.fits && (
        <p className="settings-note" role="alert" data-testid="settings-draft-fit-warning">
          {chosenPack.name} will not fit: it {chosenPack.warning}.
        </p>
      )}
      {engine === 'llm' && chosenPack && !chosenPack.installed && (
        <p className="settings-note" data-testid="settings-draft-pack-missing">
          {chosenPack.name} is not installed: drafts fall back to the built-in drafter until an administrator runs{' '}
          <code>{chosenPack.installCommand}</code>.
        </p>
      )}
      {canEdit && (
        <div className="actions">
          <button type="button" data-testid="settings-draft-check" onClick={runCheck} disabled={checking}>
            {checking ? 'Checking…' : 'Check'}
          </button>
          <button type="button" className="primary" data-testid="settings-draft-save" onClick={save}>
            Save drafting
          </button>
        </div>
      )}
      {check && (
        <p
          className={check.ok ? 'settings-saved' : 'error'}
          role={check.ok ? 'status' : 'alert'}
          data-testid="settings-draft-check-result"
          data-ok={String(check.ok)}
        >
          {check.summary}
        </p>
      )}
      <Status message={message} testId="settings-draft-status" />
      <Status message={keyMessage} testId="settings-draft-key-status" />
    </section>
  );
}

const daysText = (v: number | null) => (v === null ? '' : String(v));
const daysValue = (text: string): number | null => (text.trim() === '' ? null : Number(text));

function RetentionSection({ canEdit }: { canEdit: boolean }) {
  const [policy, setPolicy] = useState<Retention | null>(null);
  const [audio, setAudio] = useState('');
  const [transcript, setTranscript] = useState('');
  const [draft, setDraft] = useState('');
  const [message, setMessage] = useState<Message>(null);
  const show = (p: Retention) => {
    setPolicy(p);
    setAudio(String(p.audioDays));
    setTranscript(daysText(p.transcriptDays));
    setDraft(daysText(p.draftDays));
  };
  useEffect(() => {
    callScribe('retention.get', {}).then(show, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }));
  }, []);
  const save = () => {
    setMessage(null);
    const audioDays = Number(audio);
    if (audio.trim() === '' || !Number.isInteger(audioDays)) {
      setMessage({ kind: 'error', text: 'Days of audio must be a whole number (0 = destroyed at signing).' });
      return;
    }
    callScribe('retention.set', { audioDays, transcriptDays: daysValue(transcript), draftDays: daysValue(draft) }).then(
      (p) => {
        show(p);
        setMessage({ kind: 'ok', text: 'Retention saved; it applies to every signed visit on this workstation.' });
      },
      (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }),
    );
  };
  return (
    <section className="settings-section" aria-labelledby="settings-retention">
      <h2 id="settings-retention">Retention</h2>
      <p className="muted">
        How long this workstation keeps a visit's data after the note is signed. Deleted data is crypto-shredded; the signed note stays in
        the EHR.
      </p>
      {!canEdit && (
        <p className="settings-note" data-testid="settings-retention-readonly">
          Only the practice manager can change retention.
        </p>
      )}
      {!policy && !message && <p className="loading">Reading the retention policy…</p>}
      {policy && (
        <div className="settings-grid">
          <label htmlFor="settings-audio-days">Audio: days after signing</label>
          <input
            id="settings-audio-days"
            data-testid="settings-audio-days"
            type="number"
            min={0}
            max={3650}
            step={1}
            value={audio}
            disabled={!canEdit}
            onChange={(e) => setAudio(e.target.value)}
          />
          <label htmlFor="settings-transcript-days">Transcript: days after signing (empty = keep)</label>
          <input
            id="settings-transcript-days"
            data-testid="settings-transcript-days"
            type="number"
            min={0}
            step={1}
            value={transcript}
            disabled={!canEdit}
            onChange={(e) => setTranscript(e.target.value)}
          />
          <label htmlFor="settings-draft-days">AI draft: days after signing (empty = keep)</label>
          <input
            id="settings-draft-days"
            data-testid="settings-draft-days"
            type="number"
            min={0}
            step={1}
            value={draft}
            disabled={!canEdit}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
      )}
      {policy && canEdit && (
        <div className="actions">
          <button type="button" className="primary" data-testid="settings-retention-save" onClick={save}>
            Save retention
          </button>
        </div>
      )}
      <Status message={message} testId="settings-retention-status" />
    </section>
  );
}

/** Workstation settings: speech recognition and note drafting (clinician and practice manager), EHR connection and retention (practice manager); the core enforces it. */
export function SettingsScreen({ user, onBack }: { user: User; onBack: () => void }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    callScribe('settings.get', {}).then(setView, (e: unknown) => setError(errorText(e)));
  }, []);
  const canEdit = user.role === 'clinician' || user.role === 'manager';
  const heading = useScreenTitle('Settings');
  return (
    <div className="settings-screen" data-testid="settings-screen">
      <div className="settings-head">
        <h1 ref={heading} tabIndex={-1}>
          Settings
        </h1>
        <button type="button" className="link" data-testid="settings-back" onClick={onBack}>
          Back
        </button>
      </div>
      <p className="muted">Settings of this workstation. They hold no patient data; every change is recorded in the audit log.</p>
      {!canEdit && <p className="settings-note">Only a clinician or the practice manager can change these settings.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {view?.problem && (
        <p className="error" role="alert" data-testid="settings-problem">
          {view.problem}
        </p>
      )}
      {!view && !error && <p className="loading">Reading settings…</p>}
      {view && (
        <>
          <RecognitionSection view={view} canEdit={canEdit} onSaved={setView} />
          <DraftingSection view={view} canEdit={canEdit} onSaved={setView} />
          <EhrSection view={view} canEdit={user.role === 'manager'} canCheck={canEdit} onSaved={setView} />
        </>
      )}
      {/* Retention is the practice's policy: the core lets only the practice manager change it (retention.set). */}
      <RetentionSection canEdit={user.role === 'manager'} />
      {/* One Settings for the practice manager: the workstation's and the practice metrics' together. */}
      {user.role === 'manager' && (
        <section className="settings-section" aria-labelledby="settings-metrics">
          <SettingsPanel headingId="settings-metrics" />
        </section>
      )}
    </div>
  );
}
