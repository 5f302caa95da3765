import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, speakFlite, type FixtureDir } from '../../../testing/transcribe/speech-fixtures.ts';
import { SphinxRecognizer } from './recognizer.ts';

// A visit that stops waiting for its recognizer closes it (decision 0185) while a segment may still be in
// flight. Every later call must fail in words, never hand a freed decoder to pocketsphinx (that crashed the
// whole process: "FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw").

let fx: FixtureDir;
let speech: Int16Array;
beforeAll(async () => {
  fx = await fixtureDir();
  speech = await speakFlite(fx, 'My knee has been hurting for two weeks.');
});
afterAll(() => fx.remove());

describe('pocketsphinx recognizer closed mid-utterance', () => {
  it('recognizes before it is closed; after close, feed and begin refuse in words and end and partial give nothing', async () => {
    const recognizer = new SphinxRecognizer();
    recognizer.begin();
    recognizer.feed(speech);
    expect((await recognizer.end()).text).toMatch(/knee/);

    recognizer.begin();
    recognizer.feed(speech.subarray(0, 8000));
    recognizer.close(); // the deadline passed while this segment was being decoded
    expect(recognizer.partial()).toBe('');
    expect((await recognizer.end()).text).toBe('');
    expect(() => recognizer.feed(speech)).toThrow(/recognizer was closed/);
    expect(() => recognizer.begin()).toThrow(/recognizer was closed/);
    recognizer.close(); // closing twice is harmless
  });
});
