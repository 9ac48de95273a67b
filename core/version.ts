/** The app's version, shown by `--version` and in the status bar. */
export const VERSION = "0.1.0";
