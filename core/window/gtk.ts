/**
 * Native window: GTK 3 + WebKitGTK 4.1 loaded in-process with `Deno.dlopen`.
 *
 * GTK's main loop is never run; it is pumped from a ~16 ms `setInterval`, so Deno's event loop
 * (and a `Deno.serve` in the same process) keeps running while the window is open.
 */

/** Thrown by {@link openWindow} when no window can be shown here; the caller opens the browser. */
export class WindowUnavailableError extends Error {
  override name = "WindowUnavailableError";
}

/** An open window. */
export interface WindowHandle {
  /** Closes the window from code; calls `onClose` (at most once overall) and stops the pump. */
  close(): void;
  /** Brings the window to the front and gives it the keyboard focus (as far as the desktop lets). */
  present(): void;
}

/** Options for {@link openWindow}. */
export interface WindowOptions {
  /** Page to load, e.g. `http://127.0.0.1:1234/`. Links to other origins open in the browser. */
  url: string;
  title: string;
  /** Default 1200. */
  width?: number;
  /** Default 800. */
  height?: number;
  /** Called exactly once, when the user closes the window or {@link WindowHandle.close} is called. */
  onClose: () => void;
}

/** The shared libraries and the Debian/Ubuntu packages that provide them. */
const LIBS = {
  gtk: ["libgtk-3.so.0", "libgtk-3-0"],
  gobject: ["libgobject-2.0.so.0", "libglib2.0-0"],
  webkit: ["libwebkit2gtk-4.1.so.0", "libwebkit2gtk-4.1-0"],
} as const;

const P = "pointer" as const;
const GTK = {
  gtk_init_check: { parameters: [P, P], result: "i32" },
  gtk_window_new: { parameters: ["i32"], result: P },
  gtk_window_set_title: { parameters: [P, "buffer"], result: "void" },
  gtk_window_set_default_size: { parameters: [P, "i32", "i32"], result: "void" },
  gtk_container_add: { parameters: [P, P], result: "void" },
  gtk_window_present: { parameters: [P], result: "void" },
  gtk_widget_show_all: { parameters: [P], result: "void" },
  gtk_widget_grab_focus: { parameters: [P], result: "void" },
  gtk_widget_destroy: { parameters: [P], result: "void" },
  gtk_events_pending: { parameters: [], result: "i32" },
  gtk_main_iteration_do: { parameters: ["i32"], result: "i32" },
} as const;
const GOBJECT = {
  g_signal_connect_data: { parameters: [P, "buffer", "function", P, P, "i32"], result: "u64" },
  g_type_check_instance_is_a: { parameters: [P, "usize"], result: "i32" },
} as const;
const WEBKIT = {
  webkit_web_view_new: { parameters: [], result: P },
  webkit_web_view_load_uri: { parameters: [P, "buffer"], result: "void" },
  webkit_web_view_get_settings: { parameters: [P], result: P },
  webkit_settings_set_enable_developer_extras: { parameters: [P, "i32"], result: "void" },
  webkit_settings_set_javascript_can_access_clipboard: { parameters: [P, "i32"], result: "void" },
  webkit_settings_set_enable_media_stream: { parameters: [P, "i32"], result: "void" },
  webkit_user_media_permission_request_get_type: { parameters: [], result: "usize" },
  webkit_permission_request_allow: { parameters: [P], result: "void" },
  webkit_policy_decision_ignore: { parameters: [P], result: "void" },
  webkit_navigation_policy_decision_get_navigation_action: { parameters: [P], result: P },
  webkit_navigation_action_get_request: { parameters: [P], result: P },
  webkit_navigation_action_get_navigation_type: { parameters: [P], result: "i32" },
  webkit_uri_request_get_uri: { parameters: [P], result: P },
} as const;

type Libs = {
  gtk: Deno.DynamicLibrary<typeof GTK>["symbols"];
  gobject: Deno.DynamicLibrary<typeof GOBJECT>["symbols"];
  webkit: Deno.DynamicLibrary<typeof WEBKIT>["symbols"];
};
let libs: Libs | undefined;
let gtkReady = false;

const cstr = (s: string) => new TextEncoder().encode(s + "\0");

function dlopen<S extends Deno.ForeignLibraryInterface>(
  [name, pkg]: readonly [string, string],
  symbols: S,
) {
  try {
    return Deno.dlopen(name, symbols).symbols;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      throw new WindowUnavailableError("Cannot open a window: no FFI permission (--allow-ffi)");
    }
    const missing = String(e).includes("cannot open shared object");
    throw new WindowUnavailableError(
      `Cannot open a window: ${name} ${missing ? `not found (package ${pkg})` : String(e)}`,
    );
  }
}

/** Loads the libraries and initialises GTK once per process; throws WindowUnavailableError. */
function init(): Libs {
  if (libs && gtkReady) return libs;
  if (Deno.build.os !== "linux") {
    throw new WindowUnavailableError(`Cannot open a window: not supported on ${Deno.build.os} yet`);
  }
  const display = Deno.env.get("WAYLAND_DISPLAY") || Deno.env.get("DISPLAY");
  if (!display) {
    throw new WindowUnavailableError(
      "Cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset)",
    );
  }
  libs ??= {
    gtk: dlopen(LIBS.gtk, GTK),
    gobject: dlopen(LIBS.gobject, GOBJECT),
    webkit: dlopen(LIBS.webkit, WEBKIT),
  };
  // Unlike gtk_init(), this returns false instead of exiting when the display cannot be opened.
  if (!libs.gtk.gtk_init_check(null, null)) {
    throw new WindowUnavailableError(
      `Cannot open a window: GTK cannot connect to display ${display}`,
    );
  }
  gtkReady = true;
  return libs;
}

/** Opens `url` with the system browser (new-window requests and links to other origins). */
function openExternal(url: string): void {
  if (!/^(https?|mailto):/i.test(url)) return;
  try {
    new Deno.Command("xdg-open", { args: [url], stdin: "null", stdout: "null", stderr: "null" })
      .spawn().unref();
  } catch (e) {
    console.error(`Cannot open ${url} in the browser: ${e}`);
  }
}

/**
 * Opens a native window showing `opts.url`. Resolves once the window is shown (the page loads on).
 * Throws {@link WindowUnavailableError} when there is no display, the libraries are missing, or
 * the OS is not supported yet.
 */
// deno-lint-ignore require-await -- async so that every failure is a rejection
export async function openWindow(opts: WindowOptions): Promise<WindowHandle> {
  const { gtk, gobject, webkit } = init();
  const origin = new URL(opts.url).origin;

  const win = gtk.gtk_window_new(0 /* GTK_WINDOW_TOPLEVEL */);
  gtk.gtk_window_set_title(win, cstr(opts.title));
  gtk.gtk_window_set_default_size(win, opts.width ?? 1200, opts.height ?? 800);
  const view = webkit.webkit_web_view_new();
  const settings = webkit.webkit_web_view_get_settings(view);
  webkit.webkit_settings_set_enable_developer_extras(settings, 0);
  webkit.webkit_settings_set_javascript_can_access_clipboard(settings, 1);
  webkit.webkit_settings_set_enable_media_stream(settings, 1);
  gtk.gtk_container_add(win, view); // a GtkWindow's single child fills it

  let closed = false;
  const onDestroy = new Deno.UnsafeCallback({ parameters: [P, P], result: "void" }, () => {
    if (closed) return;
    closed = true;
    clearInterval(pump);
    // Let GTK flush the unmap and WebKit stop its web process, then free the callbacks
    // (not from inside one of them).
    setTimeout(() => {
      pumpOnce();
      for (const cb of callbacks) cb.close();
    }, 0);
    queueMicrotask(opts.onClose); // outside the FFI callback, so a throw surfaces normally
  });
  // gboolean (WebKitWebView*, WebKitPermissionRequest*, gpointer): allow microphone/camera only.
  const mediaType = webkit.webkit_user_media_permission_request_get_type();
  const onPermission = new Deno.UnsafeCallback(
    { parameters: [P, P, P], result: "i32" },
    (_view, request) => {
      if (!gobject.g_type_check_instance_is_a(request, mediaType)) return 0; // default: deny
      webkit.webkit_permission_request_allow(request);
      return 1;
    },
  );
  // gboolean (WebKitWebView*, WebKitPolicyDecision*, WebKitPolicyDecisionType, gpointer)
  const onPolicy = new Deno.UnsafeCallback(
    { parameters: [P, P, "i32", P], result: "i32" },
    (_view, decision, type) => {
      if (type !== 0 && type !== 1) return 0; // only NAVIGATION_ACTION and NEW_WINDOW_ACTION
      const action = webkit.webkit_navigation_policy_decision_get_navigation_action(decision);
      const uriPtr = webkit.webkit_uri_request_get_uri(
        webkit.webkit_navigation_action_get_request(action),
      );
      const uri = uriPtr ? Deno.UnsafePointerView.getCString(uriPtr) : "";
      const linkClicked = webkit.webkit_navigation_action_get_navigation_type(action) === 0;
      if (type === 0 && !(linkClicked && URL.canParse(uri) && new URL(uri).origin !== origin)) {
        return 0;
      }
      openExternal(uri);
      webkit.webkit_policy_decision_ignore(decision);
      return 1;
    },
  );
  const callbacks = [onDestroy, onPermission, onPolicy];
  const connect = (obj: Deno.PointerValue, signal: string, cb: { pointer: Deno.PointerObject }) =>
    gobject.g_signal_connect_data(obj, cstr(signal), cb.pointer, null, null, 0);
  connect(win, "destroy", onDestroy);
  connect(view, "permission-request", onPermission);
  connect(view, "decide-policy", onPolicy);

  webkit.webkit_web_view_load_uri(view, cstr(opts.url));
  gtk.gtk_widget_show_all(win);
  gtk.gtk_widget_grab_focus(view); // keyboard input goes to the page
  const pumpOnce = () => {
    // Bounded so a busy page cannot starve Deno's event loop.
    for (let i = 0; i < 200 && gtk.gtk_events_pending(); i++) gtk.gtk_main_iteration_do(0);
  };
  const pump = setInterval(pumpOnce, 16);
  pumpOnce();

  return {
    close() {
      if (!closed) gtk.gtk_widget_destroy(win); // emits "destroy" -> onDestroy
    },
    present() {
      if (!closed) gtk.gtk_window_present(win);
    },
  };
}
