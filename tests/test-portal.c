/* test-portal.c: the captive portal sign-in window against a portal on 127.0.0.1, under Xvfb.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A SoupServer plays a hotel's portal: /check answers 302 to /login until
 * a room number was posted there, then 200 with the check text. Pages of
 * it try what a portal should not get: file: and javascript: links, a
 * download, popups, geolocation and notifications; an https twin has a
 * self-signed certificate. The window runs in this process, where what it
 * did can be read back; ovos-wifi-setup-portal itself runs end to end too,
 * for its exit statuses and its "online".
 */
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include "config.h"
#include "ows-portal-window.h"
#include "ows-test-peer.h"
#include "ows-test-gtk.h"

#define CHECK_TEXT "NetworkManager is online"
/* WebKit's processes start with the first view: allow for a slow machine. */
#define LOAD_TIMEOUT_MS 20000

#define LOGIN_PAGE \
  "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Hotel <b>Wi-Fi</b></title>" \
  "<meta name='viewport' content='width=device-width'></head><body>" \
  "<h1>Welcome to the Hotel</h1><p>Your room number, please.</p>" \
  "<form method='post' action='/login'><input name='room' id='room' autofocus>" \
  " <button type='submit'>Sign in</button></form></body></html>"

#define LINKS_PAGE \
  "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Links</title></head><body>" \
  "<a id='file' href='file:///etc/passwd'>passwd</a>" \
  " <a id='js' href=\"javascript:location.href='file:///etc/passwd'\">js</a>" \
  " <a id='data' href='data:text/html,<p>data</p>'>data</a>" \
  " <a id='custom' href='ssh://127.0.0.1/'>ssh</a>" \
  " <a id='download' href='/download'>download</a>" \
  " <a id='blank' href='/popup' target='_blank'>popup</a>" \
  " <button id='open' onclick=\"window.open('/popup')\">open</button>" \
  "</body></html>"

#define ASKS_PAGE \
  "<!DOCTYPE html><html><head><meta charset='utf-8'><title>asking</title></head><body><script>" \
  "var answers = {};" \
  "function done (what, answer) { answers[what] = answer;" \
  "  if (answers.geo && answers.notification) document.title = answers.geo + ' ' + answers.notification; }" \
  "navigator.geolocation.getCurrentPosition (function () { done ('geo', 'located'); }," \
  "  function (e) { done ('geo', 'geo-error-' + e.code); });" \
  "Notification.requestPermission ().then (function (p) { done ('notification', p); });" \
  "</script></body></html>"

typedef struct {
  SoupServer *server;
  SoupServer *tls_server;
  guint port;
  guint tls_port;
  gboolean signed_in;
  char *room;
  GHashTable *requests;  /* path → count */
  GtkWidget *window;
  WebKitWebView *view;
  guint n_online;
  guint n_downloads;
  guint n_started;
} Fixture;

static gboolean kiosk_yes = TRUE;
static gboolean kiosk_no = FALSE;

/* The portal ------------------------------------------------------- */

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
portal_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  const char *method = soup_server_message_get_method (msg);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (f->requests, path));

  g_hash_table_insert (f->requests, g_strdup (path), GUINT_TO_POINTER (count + 1));
  if (g_str_equal (path, "/check"))
    {
      if (f->signed_in)
        {
          respond (msg, SOUP_STATUS_OK, "text/plain", CHECK_TEXT "\n");
          return;
        }
      respond (msg, SOUP_STATUS_FOUND, NULL, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", "/login");
    }
  else if (g_str_equal (path, "/login") && g_str_equal (method, SOUP_METHOD_POST))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GHashTable) form = soup_form_decode (text);
      const char *room = g_hash_table_lookup (form, "room");

      g_free (f->room);
      f->room = g_strdup (room);
      f->signed_in = room != NULL && *room != '\0';
      respond (msg, SOUP_STATUS_OK, "text/html",
               "<!DOCTYPE html><title>Thanks</title><p>You are signed in.</p>");
    }
  else if (g_str_equal (path, "/login"))
    respond (msg, SOUP_STATUS_OK, "text/html", LOGIN_PAGE);
  else if (g_str_equal (path, "/links"))
    respond (msg, SOUP_STATUS_OK, "text/html", LINKS_PAGE);
  else if (g_str_equal (path, "/asks"))
    respond (msg, SOUP_STATUS_OK, "text/html", ASKS_PAGE);
  else if (g_str_equal (path, "/popup"))
    respond (msg, SOUP_STATUS_OK, "text/html", "<!DOCTYPE html><title>Popup</title><p>popup</p>");
  else if (g_str_equal (path, "/download"))
    {
      respond (msg, SOUP_STATUS_OK, "application/octet-stream", "#!/bin/sh\necho owned\n");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Disposition", "attachment; filename=\"free-wifi.sh\"");
    }
  else
    respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not found");
}

static guint
listen (SoupServer             *server,
        SoupServerListenOptions options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  guint port;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | options, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return port;
}

static char *
url (Fixture    *f,
     const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", f->port, path);
}

static guint
requests_of (Fixture    *f,
             const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->requests, path));
}

/* The window -------------------------------------------------------- */

static void
online_cb (OwsPortalWindow *window,
           Fixture         *f)
{
  f->n_online++;
}

static void
download_cb (WebKitNetworkSession *session,
             WebKitDownload       *download,
             Fixture              *f)
{
  f->n_downloads++;
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 Fixture         *f)
{
  if (event == WEBKIT_LOAD_STARTED)
    f->n_started++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const gboolean *kiosk = data;
  g_autofree char *check = NULL;
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "fixtures", "portal-self-signed.pem",
                                                NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  f->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, portal_cb, f, NULL);
  f->port = listen (f->server, 0);

  certificate = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);
  f->tls_server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (f->tls_server, NULL, portal_cb, f, NULL);
  f->tls_port = listen (f->tls_server, SOUP_SERVER_LISTEN_HTTPS);

  check = url (f, "/check");
  f->window = GTK_WIDGET (ows_portal_window_new (NULL, *kiosk, check, CHECK_TEXT));
  g_object_ref_sink (f->window);
  f->view = ows_portal_window_get_web_view (OWS_PORTAL_WINDOW (f->window));
  g_signal_connect (f->window, "online", G_CALLBACK (online_cb), f);
  g_signal_connect (f->view, "load-changed", G_CALLBACK (load_changed_cb), f);
  g_signal_connect (webkit_web_view_get_network_session (f->view), "download-started",
                    G_CALLBACK (download_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (webkit_web_view_get_network_session (f->view), f);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_clear_object (&f->server);
  g_clear_object (&f->tls_server);
  g_hash_table_unref (f->requests);
  g_free (f->room);
}

typedef struct {
  Fixture *f;
  const char *uri;
} UriWait;

static gboolean
loaded (gpointer data)
{
  UriWait *wait = data;

  return !webkit_web_view_is_loading (wait->f->view)
         && g_strcmp0 (webkit_web_view_get_uri (wait->f->view), wait->uri) == 0;
}

static void
wait_loaded (Fixture    *f,
             const char *path)
{
  g_autofree char *uri = url (f, path);
  UriWait wait = { f, uri };

  if (!ows_test_wait_until (loaded, &wait, LOAD_TIMEOUT_MS))
    g_error ("not loaded: %s (the view is at %s)", uri, webkit_web_view_get_uri (f->view));
}

static void
open_page (Fixture    *f,
           const char *path)
{
  g_autofree char *uri = url (f, path);

  gtk_window_present (GTK_WINDOW (f->window));
  ows_portal_window_load (OWS_PORTAL_WINDOW (f->window), uri);
  wait_loaded (f, path);
}

typedef struct {
  gboolean done;
  char *result;
} Eval;

static void
eval_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Eval *eval = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source),
                                                                          result, &error);

  eval->result = value != NULL ? jsc_value_to_string (value) : g_strdup_printf ("error: %s",
                                                                                error->message);
  eval->done = TRUE;
}

static gboolean
eval_done (gpointer data)
{
  return ((Eval *) data)->done;
}

/* @script's value, as a string. */
static char *
eval (Fixture    *f,
      const char *script)
{
  Eval eval = { FALSE, NULL };

  webkit_web_view_evaluate_javascript (f->view, script, -1, NULL, NULL, NULL, eval_cb, &eval);
  g_assert_true (ows_test_wait_until (eval_done, &eval, LOAD_TIMEOUT_MS));
  return eval.result;
}

static void
run (Fixture    *f,
     const char *script)
{
  g_free (eval (f, script));
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Long enough for a navigation to 127.0.0.1 to have started and ended. */
static void
settle (void)
{
  ows_test_wait_until (never, NULL, 700);
}

static void
assert_stays (Fixture    *f,
              const char *path)
{
  g_autofree char *uri = url (f, path);

  settle ();
  g_assert_cmpstr (webkit_web_view_get_uri (f->view), ==, uri);
  g_assert_cmpstr (ows_portal_window_get_page (OWS_PORTAL_WINDOW (f->window)), ==, "web");
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void save_png (GtkWidget  *widget,
                      const char *name);

/* Tests --------------------------------------------------------------- */

/* The header: our title, the portal's host (never its title, which is the
 * portal's to choose, here with markup in it), buttons named. */
static void
test_header (Fixture       *f,
             gconstpointer  data)
{
  AdwWindowTitle *title;
  GtkWidget *back;

  open_page (f, "/login");
  title = ADW_WINDOW_TITLE (ows_test_gtk_find (f->window, ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Sign In to the Network");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "127.0.0.1");
  /* Plain text: AdwWindowTitle's labels take no markup. */
  for (GtkWidget *label = ows_test_gtk_find (GTK_WIDGET (title), GTK_TYPE_LABEL);
       label != NULL;
       label = gtk_widget_get_next_sibling (label))
    if (GTK_IS_LABEL (label))
      g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  back = find_button (f->window, "portal.back");
  g_assert_nonnull (back);
  g_assert_false (gtk_widget_is_sensitive (back));
  gtk_test_accessible_assert_property (back, GTK_ACCESSIBLE_PROPERTY_LABEL, "Back");
  gtk_test_accessible_assert_property (find_button (f->window, "portal.reload"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Reload");
  gtk_test_accessible_assert_property (find_button (f->window, "window.close"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Close");

  run (f, "location.href = '/links';");
  wait_loaded (f, "/links");
  g_assert_true (gtk_widget_is_sensitive (back));
  gtk_widget_activate (back);
  wait_loaded (f, "/login");
  g_assert_false (gtk_widget_is_sensitive (back));
  /* Desktop: a window of its own, no keyboard. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (
    ows_portal_window_get_keyboard (OWS_PORTAL_WINDOW (f->window)))));
  g_assert_true (gtk_window_get_decorated (GTK_WINDOW (f->window)));
  g_assert_cmpuint (f->n_online, ==, 0);
}

/* file:, data:, custom schemes: nowhere; javascript: runs as the page's
 * own script, whose navigation to file: goes nowhere either. */
static void
test_schemes_refused (Fixture       *f,
                      gconstpointer  data)
{
  static const char *links[] = { "file", "js", "data", "custom" };

  open_page (f, "/links");
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autofree char *click = g_strdup_printf ("document.getElementById('%s').click();", links[i]);

      g_test_message ("%s link", links[i]);
      run (f, click);
      assert_stays (f, "/links");
    }
  run (f, "location.href = 'file:///etc/passwd';");
  assert_stays (f, "/links");
  run (f, "location.href = 'data:text/html,<p>x</p>';");
  assert_stays (f, "/links");
  /* The page's own script does run: portals need it. */
  g_autofree char *sum = eval (f, "1 + 1");
  g_assert_cmpstr (sum, ==, "2");
}

static gboolean
downloaded (gpointer data)
{
  Fixture *f = data;

  return requests_of (f, "/download") > 0;
}

static void
test_download_refused (Fixture       *f,
                       gconstpointer  data)
{
  open_page (f, "/links");
  run (f, "document.getElementById('download').click();");
  g_assert_true (ows_test_wait_until (downloaded, f, LOAD_TIMEOUT_MS));
  assert_stays (f, "/links");
  g_assert_cmpuint (f->n_downloads, ==, 0);
}

static guint
n_toplevels (void)
{
  return g_list_model_get_n_items (gtk_window_get_toplevels ());
}

/* target=_blank and window.open(): the same view, no second window. */
static void
test_popup_same_view (Fixture       *f,
                      gconstpointer  data)
{
  guint before;

  open_page (f, "/links");
  before = n_toplevels ();
  run (f, "document.getElementById('blank').click();");
  wait_loaded (f, "/popup");
  g_assert_cmpuint (n_toplevels (), ==, before);

  webkit_web_view_go_back (f->view);
  wait_loaded (f, "/links");
  run (f, "document.getElementById('open').click();");
  wait_loaded (f, "/popup");
  g_assert_cmpuint (n_toplevels (), ==, before);
  g_assert_cmpuint (requests_of (f, "/popup"), ==, 2);
}

static gboolean
asks_answered (gpointer data)
{
  Fixture *f = data;
  const char *title = webkit_web_view_get_title (f->view);

  return title != NULL && strcmp (title, "asking") != 0;
}

/* Geolocation and notifications: denied without a question. */
static void
test_permissions_denied (Fixture       *f,
                         gconstpointer  data)
{
  open_page (f, "/asks");
  g_assert_true (ows_test_wait_until (asks_answered, f, LOAD_TIMEOUT_MS));
  g_assert_cmpstr (webkit_web_view_get_title (f->view), ==, "geo-error-1 denied");
  g_assert_cmpuint (n_toplevels (), ==, 1);
}

static gboolean
page_is (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  const char *page = ((gpointer *) data)[1];

  return g_strcmp0 (ows_portal_window_get_page (OWS_PORTAL_WINDOW (f->window)), page) == 0;
}

static void
wait_page (Fixture    *f,
           const char *page)
{
  gpointer wait[] = { f, (gpointer) page };

  if (!ows_test_wait_until (page_is, wait, LOAD_TIMEOUT_MS))
    g_error ("the window shows %s, not %s", ows_portal_window_get_page (OWS_PORTAL_WINDOW (f->window)),
             page);
}


static gboolean
started_again (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];

  return f->n_started > GPOINTER_TO_UINT (((gpointer *) data)[1]);
}

static gboolean
page_is_not_web (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (ows_portal_window_get_page (OWS_PORTAL_WINDOW (f->window)), "web") != 0;
}

/* Our page for the certificate. WebKit 2.50 at times ends an https load
 * of a host whose certificate it refused a moment ago with "Operation was
 * cancelled" (G_IO_ERROR) instead of the certificate's errors: the window
 * then says the page did not open, and its Try Again meets the certificate.
 * Never the page. */
static void
wait_tls_page (Fixture *f)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (f->view)));
  gpointer wait[2] = { f, NULL };

  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (ows_test_wait_until (page_is_not_web, f, LOAD_TIMEOUT_MS));
      if (!g_str_equal (ows_portal_window_get_page (OWS_PORTAL_WINDOW (f->window)), "failed"))
        break;
      g_test_message ("the load was cancelled, not refused: trying again");
      wait[1] = GUINT_TO_POINTER (f->n_started);
      g_signal_emit_by_name (find_button (gtk_stack_get_visible_child (stack), "portal.reload"),
                             "clicked");
      g_assert_true (ows_test_wait_until (started_again, wait, LOAD_TIMEOUT_MS));
    }
  wait_page (f, "tls");
}

/* A self-signed portal: our page, no way to accept the certificate; Try
 * Again asks again, and is refused again. */
static void
test_tls_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/login", f->tls_port);
  AdwStatusPage *page;
  gpointer wait[2];

  gtk_window_present (GTK_WINDOW (f->window));
  ows_portal_window_load (OWS_PORTAL_WINDOW (f->window), uri);
  wait_tls_page (f);
  page = ADW_STATUS_PAGE (ows_test_gtk_find (f->window, ADW_TYPE_STATUS_PAGE));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (adw_status_page_get_title (page), ==,
                   "This network’s sign-in page has an invalid security certificate");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "127.0.0.1"));
  g_assert_false (gtk_widget_is_sensitive (find_button (f->window, "portal.back")));
  g_assert_cmpuint (requests_of (f, "/login"), ==, 0);

  wait[0] = f;
  wait[1] = GUINT_TO_POINTER (f->n_started);
  g_signal_emit_by_name (find_button (GTK_WIDGET (page), "portal.reload"), "clicked");
  g_assert_true (ows_test_wait_until (started_again, wait, LOAD_TIMEOUT_MS));
  wait_tls_page (f);
  g_assert_cmpuint (requests_of (f, "/login"), ==, 0);

  /* After a page that did load, Back returns to it. */
  open_page (f, "/login");
  ows_portal_window_load (OWS_PORTAL_WINDOW (f->window), uri);
  wait_tls_page (f);
  gtk_widget_activate (find_button (f->window, "portal.back"));
  wait_page (f, "web");
  g_assert_cmpuint (f->n_online, ==, 0);
}

static void
test_load_failed (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/login", ows_test_free_port ());

  gtk_window_present (GTK_WINDOW (f->window));
  ows_portal_window_load (OWS_PORTAL_WINDOW (f->window), uri);
  wait_page (f, "failed");
  g_assert_nonnull (find_button (f->window, "portal.reload"));
  /* A desktop's window: 800×600, framed, no keyboard. */
  g_assert_cmpint (gtk_widget_get_width (f->window), ==, 800);
  g_assert_cmpint (gtk_widget_get_height (f->window), ==, 600);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (
    ows_portal_window_get_keyboard (OWS_PORTAL_WINDOW (f->window)))));
  settle ();
  save_png (f->window, "portal-desktop-failed");
}

static gboolean
online (gpointer data)
{
  Fixture *f = data;

  return f->n_online > 0;
}

static gboolean
field_focused (gpointer data)
{
  g_autofree char *id = eval (data, "document.hasFocus () && document.activeElement.id");

  return g_strcmp0 (id, "room") == 0;
}

/* The page's autofocus field has the caret (the page's, once it laid out). */
static void
wait_field_focused (Fixture *f)
{
  g_assert_true (ows_test_wait_until (field_focused, f, LOAD_TIMEOUT_MS));
}

/* Kiosk: the keys type into the page's field, which keeps the focus;
 * Enter submits its form, and the check then says online. */
static void
test_kiosk_keys (Fixture       *f,
                 gconstpointer  data)
{
  OwsKeyboard *keyboard = ows_portal_window_get_keyboard (OWS_PORTAL_WINDOW (f->window));
  g_autofree char *value = NULL;

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (keyboard)));
  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (f->window)));
  open_page (f, "/login");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (f->view));
  wait_field_focused (f);

  /* Quotes and backslashes arrive as they are: the text is a JSON literal. */
  g_assert_true (ows_keyboard_type (keyboard, "Ro'\"\\m 12x"));
  g_signal_emit_by_name (ows_keyboard_get_key (keyboard, "backspace"), "clicked");
  value = eval (f, "document.getElementById('room').value");
  g_assert_cmpstr (value, ==, "Ro'\"\\m 12");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (f->view));
  g_assert_cmpuint (f->n_online, ==, 0);

  g_signal_emit_by_name (ows_keyboard_get_key (keyboard, "enter"), "clicked");
  g_assert_true (ows_test_wait_until (online, f, LOAD_TIMEOUT_MS));
  g_assert_cmpstr (f->room, ==, "Ro'\"\\m 12");
  g_assert_true (ows_portal_window_get_online (OWS_PORTAL_WINDOW (f->window)));
}

/* Its Hide key hides it, a header button brings it back; an error page
 * has none (nothing to type into, and its buttons need the room). */
static void
test_kiosk_hide_keyboard (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *keyboard = GTK_WIDGET (ows_portal_window_get_keyboard (OWS_PORTAL_WINDOW (f->window)));
  g_autofree char *tls = g_strdup_printf ("https://127.0.0.1:%u/login", f->tls_port);
  GtkWidget *show;

  open_page (f, "/login");
  g_assert_null (find_button (f->window, "portal.show-keyboard"));
  g_signal_emit_by_name (ows_keyboard_get_key (OWS_KEYBOARD (keyboard), "hide"), "clicked");
  g_assert_false (gtk_widget_get_visible (keyboard));
  g_assert_true (ows_test_wait_until (mapped, f->window, LOAD_TIMEOUT_MS));
  show = find_button (f->window, "portal.show-keyboard");
  g_assert_nonnull (show);
  gtk_test_accessible_assert_property (show, GTK_ACCESSIBLE_PROPERTY_LABEL, "Show Keyboard");
  g_signal_emit_by_name (show, "clicked");
  g_assert_true (gtk_widget_get_visible (keyboard));
  g_assert_false (gtk_widget_get_visible (show));

  ows_portal_window_load (OWS_PORTAL_WINDOW (f->window), tls);
  wait_tls_page (f);
  g_assert_false (gtk_widget_get_visible (keyboard));
  gtk_widget_activate (find_button (f->window, "portal.back"));
  wait_page (f, "web");
  g_assert_true (gtk_widget_get_visible (keyboard));
}

/* Screenshots ----------------------------------------------------------- */

static GskRenderNode *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GskRenderNode) node = render (widget);
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                              gtk_widget_get_height (widget)));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("%s", path);
}

typedef struct {
  GtkWidget *widget;
  int width;
  int height;
} SizeWait;

static gboolean
size_is (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_mapped (wait->widget) && gtk_widget_get_width (wait->widget) == wait->width
         && gtk_widget_get_height (wait->widget) == wait->height;
}

/* Everything a finger needs inside the window: the header's buttons, the keys. */
static void
assert_inside (GtkWidget *widget,
               GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, -0.5);
  g_assert_cmpfloat (bounds.origin.y, >=, -0.5);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window) + 0.5);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window) + 0.5);
}

static void
shoot (Fixture    *f,
       int         width,
       int         height,
       const char *name)
{
  SizeWait wait = { f->window, width, height };
  static const char *actions[] = { "portal.back", "portal.reload", "window.close" };

  /* Xvfb has no window manager to make it fullscreen: the device's size. */
  gtk_window_unfullscreen (GTK_WINDOW (f->window));
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  open_page (f, "/login");
  wait_field_focused (f);
  if (!ows_test_wait_until (size_is, &wait, LOAD_TIMEOUT_MS))
    g_error ("the window is %d×%d px, not %d×%d", gtk_widget_get_width (f->window),
             gtk_widget_get_height (f->window), width, height);
  /* The page's own layout, after the view's size. */
  settle ();
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *button = find_button (f->window, actions[i]);

      assert_inside (button, f->window);
      g_assert_cmpint (gtk_widget_get_height (button), >=, 48);
      g_assert_cmpint (gtk_widget_get_width (button), >=, 48);
    }
  assert_inside (ows_keyboard_get_key (ows_portal_window_get_keyboard (OWS_PORTAL_WINDOW (f->window)),
                                       "enter"), f->window);
  /* Room for the page between the header and the keys. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->view)), >=, height / 4);
  save_png (f->window, name);
}

static void
test_screenshot_landscape (Fixture       *f,
                           gconstpointer  data)
{
  shoot (f, 800, 480, "portal-kiosk-800x480");
}

static void
test_screenshot_portrait (Fixture       *f,
                          gconstpointer  data)
{
  shoot (f, 480, 800, "portal-kiosk-480x800");
}

static void
test_screenshot_tls (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/login", f->tls_port);
  SizeWait wait = { f->window, 800, 480 };
  GtkWidget *try_again;

  gtk_window_unfullscreen (GTK_WINDOW (f->window));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  gtk_window_present (GTK_WINDOW (f->window));
  ows_portal_window_load (OWS_PORTAL_WINDOW (f->window), uri);
  wait_tls_page (f);
  g_assert_true (ows_test_wait_until (size_is, &wait, LOAD_TIMEOUT_MS));
  settle ();
  /* Its buttons above the fold. */
  try_again = find_button (ows_test_gtk_find (f->window, ADW_TYPE_STATUS_PAGE), "portal.reload");
  g_assert_nonnull (try_again);
  assert_inside (try_again, f->window);
  g_assert_cmpint (gtk_widget_get_height (try_again), >=, 48);
  save_png (f->window, "portal-kiosk-tls-800x480");
}

/* The program ----------------------------------------------------------- */

static char *
program_path (void)
{
  return g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "gui",
                           "ovos-wifi-setup-portal", NULL);
}

typedef struct {
  GSubprocess *process;
  gboolean exited;
  char *out;
} Run;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, NULL, &error);
  g_assert_no_error (error);
  run->exited = TRUE;
}

static gboolean
exited (gpointer data)
{
  return ((Run *) data)->exited;
}

static GSubprocess *
spawn (Fixture             *f,
       const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, program_path ());
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, g_strdup (*args));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static int
wait_exit (Run *run)
{
  g_subprocess_communicate_utf8_async (run->process, NULL, NULL, communicated_cb, run);
  if (!ows_test_wait_until (exited, run, 3 * LOAD_TIMEOUT_MS))
    {
      g_subprocess_force_exit (run->process);
      g_error ("ovos-wifi-setup-portal did not exit");
    }
  g_assert_true (g_subprocess_get_if_exited (run->process));
  return g_subprocess_get_exit_status (run->process);
}

static gboolean
login_served (gpointer data)
{
  Fixture *f = data;

  return GPOINTER_TO_UINT (g_hash_table_lookup (f->requests, "/login")) > 0;
}

/* The real program, a kiosk: once the portal lets the device through (the
 * form, typed with the keys, is kiosk-keys' part), it sees the internet by
 * itself, says "online" and ends with 0. */
static void
test_program_online (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *check = url (f, "/check");
  g_autofree char *login = url (f, "/login");
  const char *args[] = { "--kiosk", "--check-url", check, "--check-text", CHECK_TEXT, login, NULL };
  Run run = { spawn (f, args), FALSE, NULL };

  g_assert_true (ows_test_wait_until (login_served, f, LOAD_TIMEOUT_MS));
  f->signed_in = TRUE;
  g_assert_cmpint (wait_exit (&run), ==, 0);
  g_assert_cmpstr (run.out, ==, "online\n");
  g_object_unref (run.process);
  g_free (run.out);
}

static void
test_program_usage (Fixture       *f,
                    gconstpointer  data)
{
  static const char *bad[][7] = {
    { "--check-url", "http://127.0.0.1/check", "--check-text", "x", "file:///etc/passwd", NULL },
    { "--check-url", "http://127.0.0.1/check", "--check-text", "x", "javascript:alert(1)", NULL },
    { "--check-url", "http://127.0.0.1/check", "--check-text", "x", NULL },
    { "--check-url", "ftp://127.0.0.1/check", "--check-text", "x", "http://127.0.0.1/", NULL },
    { "--check-text", "x", "http://127.0.0.1/", NULL },
    { "--no-such-option", "http://127.0.0.1/", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Run run = { spawn (f, bad[i]), FALSE, NULL };

      g_assert_cmpint (wait_exit (&run), ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_object_unref (run.process);
      g_free (run.out);
    }
}

/* The X window of a program's: its _NET_WM_PID is @pid. */
static Window
find_x_window (Display *display,
               Window   window,
               pid_t    pid)
{
  Atom pid_atom = XInternAtom (display, "_NET_WM_PID", False);
  Window root, parent, *children = NULL, found = None;
  unsigned int n_children = 0;
  Atom type;
  int format;
  unsigned long n_items, after;
  unsigned char *prop = NULL;

  XWindowAttributes attributes;

  /* Mapped: not GDK's hidden client leader, which has the PID too. */
  if (XGetWindowProperty (display, window, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n_items, &after, &prop) == Success && prop != NULL)
    {
      if (n_items == 1 && *(unsigned long *) prop == (unsigned long) pid
          && XGetWindowAttributes (display, window, &attributes)
          && attributes.map_state == IsViewable)
        found = window;
      XFree (prop);
    }
  if (found != None || !XQueryTree (display, window, &root, &parent, &children, &n_children))
    return found;
  for (unsigned int i = 0; i < n_children && found == None; i++)
    found = find_x_window (display, children[i], pid);
  if (children != NULL)
    XFree (children);
  return found;
}

typedef struct {
  Display *display;
  pid_t pid;
  Window window;
} XWait;

static gboolean
x_window_shown (gpointer data)
{
  XWait *wait = data;

  wait->window = find_x_window (wait->display, DefaultRootWindow (wait->display), wait->pid);
  return wait->window != None;
}

/* Closed as a window manager closes it (WM_DELETE_WINDOW), before online: 1. */
static void
test_program_closed (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *check = url (f, "/check");
  g_autofree char *login = url (f, "/login");
  const char *args[] = { "--check-url", check, "--check-text", CHECK_TEXT, login, NULL };
  Run run = { spawn (f, args), FALSE, NULL };
  Display *display = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  XWait wait = { display, atoi (g_subprocess_get_identifier (run.process)), None };
  XEvent event = { 0 };

  g_assert_true (ows_test_wait_until (x_window_shown, &wait, LOAD_TIMEOUT_MS));
  /* Its page loaded, and asked: still a portal. */
  while (requests_of (f, "/check") == 0)
    g_main_context_iteration (NULL, TRUE);
  event.xclient.type = ClientMessage;
  event.xclient.window = wait.window;
  event.xclient.message_type = XInternAtom (display, "WM_PROTOCOLS", False);
  event.xclient.format = 32;
  event.xclient.data.l[0] = XInternAtom (display, "WM_DELETE_WINDOW", False);
  event.xclient.data.l[1] = CurrentTime;
  XSendEvent (display, wait.window, False, NoEventMask, &event);
  XFlush (display);

  g_assert_cmpint (wait_exit (&run), ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_object_unref (run.process);
  g_free (run.out);
}

static void
test_program_no_display (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *program = program_path ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--check-url",
                                         "http://127.0.0.1/check", "--check-text", "x",
                                         "http://127.0.0.1/", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 3);
}


/* The tests' X server has no GL (GDK_DEBUG=gl-disable), which WebKit says
 * once, as a structured warning that no fatal handler can let pass: said
 * here, before warnings are fatal again. What it does then is what is tested. */
static void
warm_up_webkit (void)
{
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), webkit_web_view_new ());
  gtk_window_present (GTK_WINDOW (window));
  ows_test_wait_until (mapped, window, LOAD_TIMEOUT_MS);
  ows_test_wait_until (never, NULL, 200);
  gtk_window_destroy (GTK_WINDOW (window));
  g_log_set_always_fatal (fatal);
}

static void
add (const char *path,
     gboolean   *kiosk,
     void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, kiosk, fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  warm_up_webkit ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  ows_test_gtk_styles (TRUE);

  add ("/ows/portal/header", &kiosk_no, test_header);
  add ("/ows/portal/schemes-refused", &kiosk_no, test_schemes_refused);
  add ("/ows/portal/download-refused", &kiosk_no, test_download_refused);
  add ("/ows/portal/popup-same-view", &kiosk_no, test_popup_same_view);
  add ("/ows/portal/permissions-denied", &kiosk_no, test_permissions_denied);
  add ("/ows/portal/tls-refused", &kiosk_no, test_tls_refused);
  add ("/ows/portal/load-failed", &kiosk_no, test_load_failed);
  add ("/ows/portal/kiosk-keys", &kiosk_yes, test_kiosk_keys);
  add ("/ows/portal/kiosk-hide-keyboard", &kiosk_yes, test_kiosk_hide_keyboard);
  add ("/ows/portal/screenshot-800x480", &kiosk_yes, test_screenshot_landscape);
  add ("/ows/portal/screenshot-480x800", &kiosk_yes, test_screenshot_portrait);
  add ("/ows/portal/screenshot-tls-800x480", &kiosk_yes, test_screenshot_tls);
  add ("/ows/portal/program-online", &kiosk_no, test_program_online);
  add ("/ows/portal/program-usage", &kiosk_no, test_program_usage);
  add ("/ows/portal/program-closed", &kiosk_no, test_program_closed);
  g_test_add_func ("/ows/portal/program-no-display", test_program_no_display);

  return g_test_run ();
}
