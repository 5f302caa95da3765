import { DEFAULT_SHERPA_MODEL, SHERPA_MODELS, installedEngines, installedSherpaModels } from '../../transcribe/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/** Speech recognition (app/transcribe): which engines and models this workstation can use. */
export function transcriptionHandlers(_s: CoreServices): PartialHandlers<'transcription.engines'> {
  return {
    'transcription.engines': () => {
      const engines = installedEngines();
      const installed = new Set(installedSherpaModels().map((m) => m.name));
      return {
        engines: [
          {
            name: 'sphinx' as const,
            installed: engines.includes('sphinx'),
            description: 'Debian pocketsphinx with the medicines lexicon; no downloads',
          },
          {
            name: 'sherpa' as const,
            installed: engines.includes('sherpa'),
            description: 'sherpa-onnx models (Whisper, Moonshine, Parakeet), speaker labels, hotwords',
          },
          // Usable wherever sphinx is (it gives the partials and the fallback text); the server itself is a setting.
          {
            name: 'server' as const,
            installed: engines.includes('sphinx'),
            description:
              "The practice's transcription server (OpenAI-compatible /v1/audio/transcriptions: vLLM Whisper, whisper.cpp, faster-whisper); live text and any segment it cannot answer come from pocketsphinx on this workstation",
          },
        ],
        models: Object.entries(SHERPA_MODELS).map(([name, spec]) => ({
          name,
          role: spec.role,
          installed: installed.has(name),
          installCommand: `scribe assets install ${name}`,
        })),
        defaultSherpaModel: DEFAULT_SHERPA_MODEL,
      };
    },
  };
}
