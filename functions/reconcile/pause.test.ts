import { PAUSE_ANNOTATION, pauseState } from './pause';

const now = new Date('2026-11-25T12:00:00Z');
const at = (value: string) => pauseState({ [PAUSE_ANNOTATION]: value }, now);

describe('pauseState', () => {
  it('pauses until a future RFC 3339 time, offsets included', () => {
    expect(at('2026-11-25T13:00:00Z')).toEqual({ paused: true, until: '2026-11-25T13:00:00.000Z' });
    expect(at('2026-11-25T21:30:00.5+09:00')).toEqual({ paused: true, until: '2026-11-25T12:30:00.500Z' });
  });

  it('is not paused without the annotation', () => {
    expect(pauseState(undefined, now)).toEqual({ paused: false });
    expect(pauseState({ other: 'x' }, now)).toEqual({ paused: false });
  });

  it('ignores a past time as expired', () => {
    expect(at('2026-11-25T12:00:00Z')).toEqual({ paused: false, ignored: { value: '2026-11-25T12:00:00Z', why: 'expired' } });
  });

  it.each(['tomorrow', '2026-11-26', '2026-11-26T10:00:00', '1764158400', '2026-02-30T10:00:00Z junk', ''])(
    'ignores %j as malformed',
    (value) => {
      expect(at(value)).toEqual({ paused: false, ignored: { value, why: 'malformed' } });
    },
  );
});
