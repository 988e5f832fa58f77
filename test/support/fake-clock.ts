// A clock that only moves when someone sleeps: limiter tests wait no real second or minute.
export function fakeClock(start = 90_000) {
  let t = start;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (slept.push(ms), (t += ms)), slept, at: () => t };
}
