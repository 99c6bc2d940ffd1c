/* ows-portal-window.c: a captive portal's sign-in page, in a web view kept on a short leash.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A hotel's or campus's network wants a form filled before it lets the
 * device out; a kiosk has no browser. This window shows that one page and
 * what it leads to, and nothing else: no cookies or storage kept (an
 * ephemeral network session), http and https only, no second window (a
 * popup opens here instead), no downloads, every permission denied, and an
 * invalid certificate is a page of ours, never a question.
 *
 * It asks the watchdog's question itself (GET the check URL, redirects not
 * followed: online when 200 and the body holds the check text), after each
 * page load and every CHECK_INTERVAL_S, and says "online" once.
 *
 * On a kiosk our keyboard sits under the page. The web view keeps the GTK
 * focus; a key becomes a line of JavaScript in the page, its text passed as
 * a JSON string literal.
 */
#define G_LOG_DOMAIN "ows-portal"
#define _GNU_SOURCE  /* memmem: a sign-in page may hold NUL bytes */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ows-portal-window.h"

#define CHECK_INTERVAL_S 10
#define CHECK_TIMEOUT_S  10
/* As the watchdog's probe (ows-connectivity.c): the check text is a line. */
#define BODY_MAX         (64 * 1024)

/* One check in flight; its window may go first. */
typedef struct
{
  OwsPortalWindow *self;  /* NULL once the window is disposed */
  GCancellable *cancellable;
  SoupMessage *message;
  GInputStream *stream;
  char *body;
} Check;

struct _OwsPortalWindow
{
  AdwApplicationWindow parent_instance;

  gboolean kiosk;
  char *check_url;
  char *check_text;

  gboolean online;
  gboolean keyboard_hidden;  /* with its Hide key, until Show Keyboard */
  gboolean committed;    /* a page was ever shown: Back from an error page goes to it */
  char *failed_uri;      /* what Try Again loads */

  SoupSession *session;
  Check *check;
  gboolean check_again;  /* asked while one was in flight */
  guint check_timer_id;

  WebKitWebView *view;

  AdwHeaderBar *header;
  AdwWindowTitle *title;
  GtkWidget *show_keyboard_button;
  GtkStack *stack;
  AdwStatusPage *tls_page;
  AdwStatusPage *failed_page;
  OwsKeyboard *keyboard;
};

enum {
  PROP_0,
  PROP_KIOSK,
  PROP_CHECK_URL,
  PROP_CHECK_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ONLINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OwsPortalWindow, ows_portal_window, ADW_TYPE_APPLICATION_WINDOW)

static void start_check (OwsPortalWindow *self);

/* http and https; the empty frames that pages make with about:blank and srcdoc. */
static gboolean
uri_is_allowed (const char *uri)
{
  return ows_portal_uri_is_web (uri)
         || g_strcmp0 (uri, "about:blank") == 0 || g_strcmp0 (uri, "about:srcdoc") == 0;
}

static void
sync_back (OwsPortalWindow *self)
{
  gboolean on_error = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "web") != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "portal.back",
                                 on_error ? self->committed : webkit_web_view_can_go_back (self->view));
}

/* A kiosk's keyboard is under the web page, unless hidden with its own key;
 * an error page has nothing to type into, and needs the room. */
static void
sync_keyboard (OwsPortalWindow *self)
{
  gboolean web = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "web") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->keyboard), self->kiosk && web && !self->keyboard_hidden);
  gtk_widget_set_visible (self->show_keyboard_button, self->kiosk && web && self->keyboard_hidden);
}

static void
show_page (OwsPortalWindow *self,
           const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  sync_back (self);
  sync_keyboard (self);
}

/* The host, as plain text: never the page's title, which the portal chooses. */
static void
uri_changed_cb (OwsPortalWindow *self)
{
  const char *uri = webkit_web_view_get_uri (self->view);
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  adw_window_title_set_subtitle (self->title, parsed != NULL ? g_uri_get_host (parsed) : NULL);
}

/* The watchdog's answer ------------------------------------------------ */

static void
check_free (Check *check)
{
  g_clear_object (&check->cancellable);
  g_clear_object (&check->message);
  g_clear_object (&check->stream);
  g_free (check->body);
  g_free (check);
}

static void
set_online (OwsPortalWindow *self)
{
  if (self->online)
    return;
  g_debug ("%s answered: online", self->check_url);
  self->online = TRUE;
  g_clear_handle_id (&self->check_timer_id, g_source_remove);
  g_signal_emit (self, signals[ONLINE], 0);
}

static void
check_done (Check    *check,
            gboolean  online)
{
  OwsPortalWindow *self = check->self;

  self->check = NULL;
  check_free (check);
  if (online)
    set_online (self);
  else if (self->check_again)
    start_check (self);
}

static void
check_body_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(GError) error = NULL;
  gsize n_read = 0;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error);
  if (check->self == NULL)
    {
      check_free (check);
      return;
    }
  if (error != NULL)
    g_debug ("%s: the answer broke off: %s", check->self->check_url, error->message);
  check_done (check, error == NULL && memmem (check->body, n_read, check->self->check_text,
                                              strlen (check->self->check_text)) != NULL);
}

static void
check_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  check->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (check->self == NULL)
    {
      check_free (check);
      return;
    }
  if (check->stream == NULL)
    {
      g_debug ("%s: %s", check->self->check_url, error->message);
      check_done (check, FALSE);
      return;
    }
  status = soup_message_get_status (check->message);
  g_debug ("%s: HTTP %u", check->self->check_url, status);
  if (status != SOUP_STATUS_OK)
    {
      check_done (check, FALSE);
      return;
    }
  check->body = g_malloc (BODY_MAX);
  g_input_stream_read_all_async (check->stream, check->body, BODY_MAX, G_PRIORITY_DEFAULT,
                                 check->cancellable, check_body_cb, check);
}

/* GET, redirects not followed, on a fresh connection closed after the answer. */
static void
start_check (OwsPortalWindow *self)
{
  Check *check;

  self->check_again = self->check != NULL;
  if (self->online || self->check != NULL)
    return;

  check = g_new0 (Check, 1);
  check->self = self;
  check->cancellable = g_cancellable_new ();
  check->message = soup_message_new (SOUP_METHOD_GET, self->check_url);
  g_assert (check->message != NULL);  /* checked by ows_portal_window_new()'s caller */
  soup_message_set_flags (check->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_replace (soup_message_get_request_headers (check->message),
                                "Connection", "close");
  self->check = check;
  soup_session_send_async (self->session, check->message, G_PRIORITY_DEFAULT,
                           check->cancellable, check_sent_cb, check);
}

static gboolean
check_timer_cb (gpointer user_data)
{
  start_check (user_data);
  return G_SOURCE_CONTINUE;
}

/* The web view's leash ------------------------------------------------- */

static gboolean
decide_policy_cb (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  OwsPortalWindow          *self)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      action = webkit_navigation_policy_decision_get_navigation_action (
        WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      request = webkit_navigation_action_get_request (action);
      uri = webkit_uri_request_get_uri (request);
      if (!uri_is_allowed (uri))
        {
          g_debug ("Refused to go to %s", uri);
          webkit_policy_decision_ignore (decision);
        }
      else if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
        {
          /* target=_blank: here, not in a window of its own. */
          g_debug ("A new window's %s opens here (new-window policy)", uri);
          webkit_policy_decision_ignore (decision);
          webkit_web_view_load_request (view, request);
        }
      else
        {
          webkit_policy_decision_use (decision);
        }
      return TRUE;
    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      /* What the view cannot show would be a download. */
      if (webkit_response_policy_decision_is_mime_type_supported (
            WEBKIT_RESPONSE_POLICY_DECISION (decision)))
        {
          webkit_policy_decision_use (decision);
        }
      else
        {
          g_debug ("Refused a download");
          webkit_policy_decision_ignore (decision);
        }
      return TRUE;
    default:
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
}

static gboolean
load_idle_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  OwsPortalWindow *self = g_task_get_source_object (task);

  if (self->view != NULL)
    webkit_web_view_load_request (self->view, g_task_get_task_data (task));
  return G_SOURCE_REMOVE;
}

/* window.open(): no second view; what it would show, in this one. */
static GtkWidget *
create_cb (WebKitWebView          *view,
           WebKitNavigationAction *action,
           OwsPortalWindow        *self)
{
  WebKitURIRequest *request = webkit_navigation_action_get_request (action);
  const char *uri = webkit_uri_request_get_uri (request);
  GTask *task;

  if (ows_portal_uri_is_web (uri))
    {
      /* Not from inside WebKit's own call. */
      g_debug ("A new window's %s opens here (create)", uri);
      task = g_task_new (self, NULL, NULL, NULL);
      g_task_set_task_data (task, g_object_ref (request), g_object_unref);
      g_idle_add (load_idle_cb, task);
    }
  return NULL;
}

static void
download_started_cb (WebKitNetworkSession *session,
                     WebKitDownload       *download,
                     OwsPortalWindow      *self)
{
  g_debug ("Cancelled a download");
  webkit_download_cancel (download);
}

static gboolean
permission_request_cb (WebKitWebView           *view,
                       WebKitPermissionRequest *request,
                       OwsPortalWindow         *self)
{
  g_debug ("Denied a %s", G_OBJECT_TYPE_NAME (request));
  webkit_permission_request_deny (request);
  return TRUE;
}

static void
set_failed_uri (OwsPortalWindow *self,
                const char      *uri)
{
  g_free (self->failed_uri);
  self->failed_uri = g_strdup (uri);
}

/* Never an option to accept the certificate: an open network's sign-in
 * page has no business with a broken one. */
static gboolean
load_failed_with_tls_errors_cb (WebKitWebView        *view,
                                const char           *failing_uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                OwsPortalWindow      *self)
{
  g_autoptr(GUri) parsed = g_uri_parse (failing_uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = g_markup_escape_text (parsed != NULL && g_uri_get_host (parsed) != NULL
                                                ? g_uri_get_host (parsed) : failing_uri, -1);
  g_autofree char *description = NULL;

  g_debug ("%s: TLS errors 0x%x", failing_uri, errors);
  set_failed_uri (self, failing_uri);
  /* TRANSLATORS: %s is the network's sign-in server, "portal.example.com". */
  description = g_strdup_printf (_("The page at %s cannot be trusted. Ask the network’s staff "
                                   "for help, or try again later."), host);
  adw_status_page_set_description (self->tls_page, description);
  show_page (self, "tls");
  return TRUE;
}

static gboolean
load_failed_cb (WebKitWebView   *view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                OwsPortalWindow *self)
{
  /* A load the user or a new load stopped, or a response we refused. */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED)
      || g_error_matches (error, WEBKIT_POLICY_ERROR,
                          WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE)
      || g_error_matches (error, WEBKIT_DOWNLOAD_ERROR, WEBKIT_DOWNLOAD_ERROR_CANCELLED_BY_USER))
    return TRUE;
  g_debug ("%s: %s", failing_uri, error->message);
  set_failed_uri (self, failing_uri);
  show_page (self, "failed");
  return TRUE;
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 OwsPortalWindow *self)
{
  switch (event)
    {
    case WEBKIT_LOAD_STARTED:
      show_page (self, "web");
      break;
    case WEBKIT_LOAD_COMMITTED:
      self->committed = TRUE;
      break;
    case WEBKIT_LOAD_FINISHED:
      start_check (self);
      break;
    case WEBKIT_LOAD_REDIRECTED:
    default:
      break;
    }
  sync_back (self);
}

/* Keys for the page -------------------------------------------------- */

/* In a script world of our own: the page shares its DOM with it, not its
 * globals, so it cannot redefine what a key runs. */
static void
run_script (OwsPortalWindow *self,
            const char      *script)
{
  webkit_web_view_evaluate_javascript (self->view, script, -1, "ows-keyboard", NULL, NULL, NULL,
                                       NULL);
}

/* At the caret of the focused element, replacing its selection, as typing would. */
static gboolean
key_insert_text_cb (OwsKeyboard     *keyboard,
                    const char      *text,
                    OwsPortalWindow *self)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *literal = json_to_string (node, FALSE);
  g_autofree char *script = g_strdup_printf ("document.execCommand('insertText', false, %s);",
                                             literal);

  run_script (self, script);
  return TRUE;
}

static gboolean
key_delete_backward_cb (OwsKeyboard     *keyboard,
                        OwsPortalWindow *self)
{
  run_script (self, "document.execCommand('delete', false, null);");
  return TRUE;
}

/* Return: a new line in a text area; in a form's field, the page's own key
 * handlers first, then the form submitted as implicit submission would. */
static gboolean
key_activate_target_cb (OwsKeyboard     *keyboard,
                        OwsPortalWindow *self)
{
  run_script (self,
    "(function () {\n"
    "  var e = document.activeElement;\n"
    "  if (!e || e === document.body) return;\n"
    "  if (e.tagName === 'TEXTAREA' || e.isContentEditable) {\n"
    "    document.execCommand('insertLineBreak', false, null); return;\n"
    "  }\n"
    "  var init = { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true };\n"
    "  var go = e.dispatchEvent(new KeyboardEvent('keydown', init));\n"
    "  if (go) go = e.dispatchEvent(new KeyboardEvent('keypress', init));\n"
    "  e.dispatchEvent(new KeyboardEvent('keyup', init));\n"
    "  if (!go) return;\n"
    "  if (e.form) e.form.requestSubmit();\n"
    "  else if (e.tagName === 'BUTTON' || e.tagName === 'A') e.click();\n"
    "})();");
  return TRUE;
}

static void
key_hide_requested_cb (OwsPortalWindow *self)
{
  self->keyboard_hidden = TRUE;
  sync_keyboard (self);
}

/* Actions ------------------------------------------------------------ */

static void
show_keyboard_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (widget);

  self->keyboard_hidden = FALSE;
  sync_keyboard (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (widget);

  /* From an error page, to the page that was on screen before. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "web") != 0)
    show_page (self, "web");
  else
    webkit_web_view_go_back (self->view);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "web") != 0
      && self->failed_uri != NULL)
    webkit_web_view_load_uri (self->view, self->failed_uri);
  else
    webkit_web_view_reload (self->view);
}

/* Construction -------------------------------------------------------- */

static WebKitWebView *
web_view_new (void)
{
  g_autoptr(WebKitNetworkSession) session = webkit_network_session_new_ephemeral ();
  g_autoptr(WebKitSettings) settings = NULL;

  /* JavaScript on: portals need it. Nothing a sign-in form does not. */
  settings = g_object_new (WEBKIT_TYPE_SETTINGS,
                           "enable-javascript", TRUE,
                           "enable-developer-extras", FALSE,
                           "javascript-can-open-windows-automatically", FALSE,
                           "javascript-can-access-clipboard", FALSE,
                           "enable-back-forward-navigation-gestures", FALSE,
                           "allow-file-access-from-file-urls", FALSE,
                           "allow-universal-access-from-file-urls", FALSE,
                           "allow-top-navigation-to-data-urls", FALSE,
                           "enable-media-stream", FALSE,
                           "enable-webrtc", FALSE,
                           "enable-webgl", FALSE,
                           "enable-webaudio", FALSE,
                           "enable-encrypted-media", FALSE,
                           "enable-html5-database", FALSE,
                           "enable-html5-local-storage", FALSE,
                           "enable-page-cache", FALSE,
                           NULL);
  WebKitWebView *view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                      "network-session", session,
                                      "settings", settings,
                                      "vexpand", TRUE,
                                      "hexpand", TRUE,
                                      NULL);

  /* One page at a time, on a device's memory: no page or resource caches. */
  webkit_web_context_set_cache_model (webkit_web_view_get_context (view),
                                      WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
  return view;
}

/* A desktop window of 800×600, or the screen's size where that is smaller. */
static void
size_for_screen (OwsPortalWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry = { 0, 0, 800, 600 };

  if (monitor != NULL)
    gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (GTK_WINDOW (self), MIN (800, geometry.width),
                               MIN (600, geometry.height));
}

static void
ows_portal_window_constructed (GObject *object)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (object);

  G_OBJECT_CLASS (ows_portal_window_parent_class)->constructed (object);

  if (self->kiosk)
    {
      /* A touchscreen kiosk has no keyboard, and cage no input method. */
      gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
      /* style.css's 48 px touch targets. */
      gtk_widget_add_css_class (GTK_WIDGET (self->header), "ows-page");
      gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
      /* The page's text and fields as our own, read and tapped from arm's length. */
      webkit_web_view_set_zoom_level (self->view, 1.25);
      sync_keyboard (self);
    }
  else
    {
      size_for_screen (self);
    }
  self->check_timer_id = g_timeout_add_seconds (CHECK_INTERVAL_S, check_timer_cb, self);
}

static void
ows_portal_window_dispose (GObject *object)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (object);

  if (self->check != NULL)
    {
      self->check->self = NULL;
      g_cancellable_cancel (self->check->cancellable);
      self->check = NULL;
    }
  g_clear_handle_id (&self->check_timer_id, g_source_remove);
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (webkit_web_view_get_network_session (self->view), self);
  self->view = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), OWS_TYPE_PORTAL_WINDOW);

  G_OBJECT_CLASS (ows_portal_window_parent_class)->dispose (object);
}

static void
ows_portal_window_finalize (GObject *object)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (object);

  g_clear_object (&self->session);
  g_free (self->check_url);
  g_free (self->check_text);
  g_free (self->failed_uri);

  G_OBJECT_CLASS (ows_portal_window_parent_class)->finalize (object);
}

static void
ows_portal_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    case PROP_CHECK_URL:
      g_value_set_string (value, self->check_url);
      break;
    case PROP_CHECK_TEXT:
      g_value_set_string (value, self->check_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_portal_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OwsPortalWindow *self = OWS_PORTAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      self->kiosk = g_value_get_boolean (value);
      break;
    case PROP_CHECK_URL:
      self->check_url = g_value_dup_string (value);
      break;
    case PROP_CHECK_TEXT:
      self->check_text = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_portal_window_class_init (OwsPortalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ows_portal_window_constructed;
  object_class->dispose = ows_portal_window_dispose;
  object_class->finalize = ows_portal_window_finalize;
  object_class->get_property = ows_portal_window_get_property;
  object_class->set_property = ows_portal_window_set_property;

  /* Fullscreen and undecorated, with our keyboard under the page. */
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The watchdog's question: GET it, redirects not followed... */
  properties[PROP_CHECK_URL] =
    g_param_spec_string ("check-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* ...online when it answers 200 with this in the body. */
  properties[PROP_CHECK_TEXT] =
    g_param_spec_string ("check-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The check URL answered as the internet would: signed in. Once. */
  signals[ONLINE] =
    g_signal_new ("online",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (OWS_TYPE_KEYBOARD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-portal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, header);
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, title);
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, show_keyboard_button);
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, tls_page);
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, OwsPortalWindow, keyboard);

  gtk_widget_class_install_action (widget_class, "portal.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "portal.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "portal.show-keyboard", NULL, show_keyboard_action);
}

static void
ows_portal_window_init (OwsPortalWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Direct: a default session would ask the desktop's proxy settings. */
  self->session = soup_session_new_with_options ("user-agent", "ovos-wifi-setup/" PACKAGE_VERSION,
                                                 "proxy-resolver", NULL,
                                                 "timeout", CHECK_TIMEOUT_S,
                                                 NULL);

  self->view = web_view_new ();
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->view), "web");
  gtk_stack_set_visible_child_name (self->stack, "web");
  g_signal_connect_object (self->view, "notify::uri", G_CALLBACK (uri_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "decide-policy", G_CALLBACK (decide_policy_cb), self, 0);
  g_signal_connect_object (self->view, "create", G_CALLBACK (create_cb), self, 0);
  g_signal_connect_object (self->view, "permission-request", G_CALLBACK (permission_request_cb),
                           self, 0);
  g_signal_connect_object (self->view, "load-failed-with-tls-errors",
                           G_CALLBACK (load_failed_with_tls_errors_cb), self, 0);
  g_signal_connect_object (self->view, "load-failed", G_CALLBACK (load_failed_cb), self, 0);
  g_signal_connect_object (self->view, "load-changed", G_CALLBACK (load_changed_cb), self, 0);
  g_signal_connect_object (webkit_web_view_get_back_forward_list (self->view), "changed", G_CALLBACK (sync_back), self, G_CONNECT_SWAPPED);
  g_signal_connect (webkit_web_view_get_network_session (self->view), "download-started",
                    G_CALLBACK (download_started_cb), self);

  g_signal_connect_object (self->keyboard, "hide-requested", G_CALLBACK (key_hide_requested_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->keyboard, "insert-text", G_CALLBACK (key_insert_text_cb), self, 0);
  g_signal_connect_object (self->keyboard, "delete-backward", G_CALLBACK (key_delete_backward_cb),
                           self, 0);
  g_signal_connect_object (self->keyboard, "activate-target", G_CALLBACK (key_activate_target_cb),
                           self, 0);
  sync_back (self);
}

/* @check_url: an http or https address; @check_text: what its body holds when online. */
OwsPortalWindow *
ows_portal_window_new (GtkApplication *app,
                       gboolean        kiosk,
                       const char     *check_url,
                       const char     *check_text)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (ows_portal_uri_is_web (check_url), NULL);
  g_return_val_if_fail (check_text != NULL, NULL);

  return g_object_new (OWS_TYPE_PORTAL_WINDOW,
                       "application", app,
                       "kiosk", kiosk,
                       "check-url", check_url,
                       "check-text", check_text,
                       NULL);
}

/* Opens @uri, an http or https address, and gives the web view the focus:
 * the page's autofocus field gets the keys. */
void
ows_portal_window_load (OwsPortalWindow *self,
                        const char      *uri)
{
  g_return_if_fail (OWS_IS_PORTAL_WINDOW (self));
  g_return_if_fail (ows_portal_uri_is_web (uri));

  webkit_web_view_load_uri (self->view, uri);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

gboolean
ows_portal_window_get_online (OwsPortalWindow *self)
{
  g_return_val_if_fail (OWS_IS_PORTAL_WINDOW (self), FALSE);
  return self->online;
}

/* "web", or our own page instead of it: "tls" (an invalid certificate) or "failed". */
const char *
ows_portal_window_get_page (OwsPortalWindow *self)
{
  g_return_val_if_fail (OWS_IS_PORTAL_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

WebKitWebView *
ows_portal_window_get_web_view (OwsPortalWindow *self)
{
  g_return_val_if_fail (OWS_IS_PORTAL_WINDOW (self), NULL);
  return self->view;
}

OwsKeyboard *
ows_portal_window_get_keyboard (OwsPortalWindow *self)
{
  g_return_val_if_fail (OWS_IS_PORTAL_WINDOW (self), NULL);
  return self->keyboard;
}

/* An absolute http or https address with a host. */
gboolean
ows_portal_uri_is_web (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (parsed);
  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
         && g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0';
}
