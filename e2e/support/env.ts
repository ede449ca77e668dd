// Where the browser tests find their processes: the real server, whose upstream is the simulator
// running as its own process. Ports differ from the defaults so a running `pnpm start` is left alone.
export const SIMULATOR_URL = 'http://127.0.0.1:18790'
export const SERVER_URL = 'http://127.0.0.1:18787'
export const SIMULATOR_KEY = 'e2e-test-key-5f0c2a'
// A second server without a key, so in demo mode with its own in-process simulator.
export const DEMO_SERVER_URL = 'http://127.0.0.1:18788'
