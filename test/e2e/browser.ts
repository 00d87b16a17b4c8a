/** Chromium from the system (Debian's package); a test tool never downloads its own browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
