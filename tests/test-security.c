/* test-security.c: what the bus, a network or a command line must not reach: a terminal, a shell, the LAN.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Client names and display texts come from any peer on the bus, a captive
 * portal's address from any network: printed or logged, they must not drive
 * a terminal or forge a log line, and nothing of the bus may reach a shell.
 * The embedded bus serves loopback only unless --allow-remote-bus says
 * otherwise. The window's share is in test-window.c (tile-text-is-literal,
 * hostile-text-*), the ids' in test-registry.c (ids-*), the tools' in
 * test-tools.sh.
 */
#include <glib/gstdio.h>
#include <ifaddrs.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>

#include "ows-options.h"
#include "ows-service.h"
#include "ows-terminal-text.h"
#include "ows-test-network-monitor.h"
#include "ows-test-peer.h"
#include "ows-test-probe.h"

#define P OWS_PREFIX

/* Everything a terminal or a log reader can be fooled with: an OSC that
 * retitles the window, a bell, clear-screen, a forged log line, a
 * right-to-left override and a C1 CSI (U+009B). */
#define HOSTILE_NAME "evil\x1b]0;pwned\x07\x1b[2J\r\n** Message: FORGED \xe2\x80\xae\xc2\x9b" "31m"
#define HOSTILE_NAME_SHOWN "evil\\u001b]0;pwned\\u0007\\u001b[2J\\u000d\\u000a** Message: " \
                           "FORGED \\u202e\\u009b31m"

/* Fails on the first character a terminal would act on; @newlines: whether
 * the text is lines, whose own ends are allowed. */
static void
assert_terminal_safe (const char *text,
                      gboolean    newlines)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' && newlines)
        continue;
      if (ows_terminal_text_is_unsafe (c))
        {
          g_autofree char *shown = ows_terminal_text_escape (text);

          g_error ("U+%04X reaches the terminal raw, at byte %td of: %s", c, p - text, shown);
        }
    }
}

/* ---- the escape ---- */

typedef struct {
  const char *text;
  const char *shown;
} EscapeCase;

static void
test_escape_table (void)
{
  const EscapeCase cases[] = {
    { "", "" },
    { "Connect with a hotspot", "Connect with a hotspot" },
    /* what is not a control stays as it was, backslashes and markup included */
    { "été 中文 \xf0\x9f\x98\x80 a\\nb <b>&amp;", "été 中文 \xf0\x9f\x98\x80 a\\nb <b>&amp;" },
    { "\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m" },
    { "\x1b]0;title\x07", "\\u001b]0;title\\u0007" },
    { "a\nb\r\tc", "a\\u000ab\\u000d\\u0009c" },
    { "\x7f", "\\u007f" },
    { "\xc2\x9b" "31m", "\\u009b31m" },
    { "\xc2\x85", "\\u0085" },
    { "\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029" },
    { "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae",
      "\\u202a\\u202b\\u202c\\u202d\\u202e" },
    { "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069" },
    { "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c" },
    /* zero-width characters cannot drive a terminal, and emoji and scripts need them */
    { "a\xe2\x80\x8b" "b\xe2\x80\x8d" "c", "a\xe2\x80\x8b" "b\xe2\x80\x8d" "c" },
    /* not UTF-8: each stray byte shown, the rest kept */
    { "a\xff" "b", "a\\xffb" },
    { "\x9b" "31m", "\\x9b31m" },
    { "cut \xe2\x80", "cut \\xe2\\x80" },
    { "\xc0\x80", "\\xc0\\x80" },
    { "\xed\xa0\x80", "\\xed\\xa0\\x80" },
    { HOSTILE_NAME, HOSTILE_NAME_SHOWN },
  };
  g_autofree char *none = ows_terminal_text_escape (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = ows_terminal_text_escape (cases[i].text);

      g_test_message ("case %u", i);
      g_assert_cmpstr (shown, ==, cases[i].shown);
      assert_terminal_safe (shown, FALSE);
    }
  g_assert_cmpstr (none, ==, "");
}

/* All of Unicode: controls and bidirectional controls escaped, the rest kept. */
static void
test_escape_every_character (void)
{
  guint escaped = 0;

  for (gunichar c = 1; c <= 0x10FFFF; c++)
    {
      char text[8] = { 0 };
      g_autofree char *shown = NULL;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;
      g_unichar_to_utf8 (c, text);
      shown = ows_terminal_text_escape (text);
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_assert_true (ows_terminal_text_is_unsafe (c));
      if (ows_terminal_text_is_unsafe (c))
        {
          g_autofree char *expected = g_strdup_printf ("\\u%04x", c);

          g_assert_cmpstr (shown, ==, expected);
          escaped++;
        }
      else
        g_assert_cmpstr (shown, ==, text);
    }
  /* C0 but NUL (31), DEL, C1 (32), LS and PS, 12 bidirectional controls */
  g_assert_cmpuint (escaped, ==, 31 + 1 + 32 + 2 + 12);
}

/* JSON through the escape is JSON of the same value: ctl's --json and
 * monitor output stay machine-readable. */
static void
test_escape_keeps_json (void)
{
  g_autoptr(GString) hostile = g_string_new (HOSTILE_NAME);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *json = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) error = NULL;

  for (gunichar c = 1; c < 0xA0; c++)
    if (c < 0x20 || c >= 0x7F)
      g_string_append_unichar (hostile, c);
  g_string_append (hostile, "\xe2\x80\xa8\xe2\x81\xa6\xe2\x80\x8f \" \\ \\u001b");
  json_object_set_string_member (object, "display_text", hostile->str);
  json_node_init_object (node, object);
  json = json_to_string (node, FALSE);

  shown = ows_terminal_text_escape (json);
  assert_terminal_safe (shown, FALSE);
  parsed = json_from_string (shown, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "display_text"),
                   ==, hostile->str);
}

/* ---- the headless manager's log ---- */

/* A captive portal whose redirect carries escape sequences in the address. */
#define PORTAL_LOCATION "http://sign-in\x1b\x07.example/login?next=\x1b]0;pwned\x07\xe2\x80\xae"

static void
portal_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                PORTAL_LOCATION);
}

/* Connects to @address:@port; returns how it went (NULL: it listens). */
static GError *
try_connect (GInetAddress *address,
             guint         port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (address, port);
  g_autoptr(GSocketConnection) connection = NULL;
  GError *error = NULL;

  /* The default proxy resolver asks GSettings, absent in a test. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, OWS_TEST_TIMEOUT_MS / 1000);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (target), NULL, &error);
  return error;
}

static void
assert_nothing_listens (GInetAddress *address,
                        guint         port)
{
  g_autoptr(GError) error = try_connect (address, port);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* Polls: nothing wakes the main loop when a process starts to listen. */
static void
wait_listening (GInetAddress *address,
                guint         port)
{
  gint64 deadline = g_get_monotonic_time () + OWS_TEST_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(GError) error = try_connect (address, port);

      if (error == NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("nothing listens on port %u: %s", port, error->message);
      ows_test_sleep (20);
    }
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *exited = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL));
  *exited = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* If the test dies, the manager goes with it rather than hold the port. */
static void
die_with_parent (gpointer unused)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

typedef struct {
  char *dir;
  char *mark;           /* what the shell payloads would create */
  guint port;
  char *url;
  SoupServer *portal;
  GSubprocess *process;
  OwsTestPeer *peer;
} Headless;

static char *
user_config_path (void)
{
  return g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft", "mycroft.conf", NULL);
}

/* Asks the socket: soup_server_get_uris () leaks in libsoup 3.2. */
static guint
server_port (SoupServer *server)
{
  GSList *listeners = soup_server_get_listeners (server);
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (listeners->data, NULL);

  g_slist_free (listeners);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* The probes go to the portal, and setup may launch at once. */
static void
write_config (Headless *h)
{
  g_autofree char *path = user_config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *json = NULL;
  guint port = server_port (h->portal);

  json = g_strdup_printf ("{\"network_tests\": {"
                          "\"captive_portal_url\": \"http://127.0.0.1:%u/check\", "
                          "\"web_url\": \"http://127.0.0.1:%u/web\", "
                          "\"web_url_secondary\": \"http://127.0.0.1:%u/web2\"}, "
                          "\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"first_boot\": false, "
                          "\"enable_watchdog\": true, \"grace_period\": 0, "
                          "\"time_between_checks\": 3600}}}",
                          port, port, port);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
}

static void
headless_start (Headless *h)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *program = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                               "ovos-wifi-setup", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) portal_address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  h->dir = g_dir_make_tmp ("ows-security-XXXXXX", NULL);
  g_assert_nonnull (h->dir);
  h->mark = g_build_filename (h->dir, "MARK", NULL);
  out = g_build_filename (h->dir, "stdout", NULL);
  err = g_build_filename (h->dir, "stderr", NULL);
  h->portal = soup_server_new (NULL, NULL);
  soup_server_add_handler (h->portal, NULL, portal_cb, NULL, NULL);
  /* An address of our own: soup_server_listen_local () leaks one in libsoup 3.2. */
  g_assert_true (soup_server_listen (h->portal, portal_address, 0, &error));
  g_assert_no_error (error);
  write_config (h);

  h->port = ows_test_free_port ();
  h->url = g_strdup_printf ("ws://127.0.0.1:%u/core", h->port);
  /* GIO's base monitor: a network is up, so the verdict is the portal's. */
  g_subprocess_launcher_setenv (launcher, "GIO_USE_NETWORK_MONITOR", "base", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG",
                                "ows-manager ows-connectivity ows-service", TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out);
  g_subprocess_launcher_set_stderr_file_path (launcher, err);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  h->process = g_subprocess_launcher_spawn (launcher, &error, program, "--headless",
                                            "--embedded-bus", "--bus", h->url, NULL);
  g_assert_no_error (error);
  wait_listening (loopback, h->port);
  h->peer = ows_test_peer_new (h->url);
  /* The bus listens before the manager in the same process has joined it:
   * a request sent meanwhile reaches nobody. Ask until it answers. */
  for (guint tries = 0; ; tries++)
    {
      g_autoptr(OwsMessage) answer = NULL;

      ows_test_peer_send (h->peer, P "status", NULL);
      answer = ows_test_peer_wait (h->peer, P "status.response", 500);
      if (answer != NULL)
        break;
      g_assert_cmpuint (tries, <, 20);
    }
}

/* Stops it as systemd would; returns what it wrote, stdout then stderr. */
static char *
headless_stop (Headless *h)
{
  g_autofree char *out_path = g_build_filename (h->dir, "stdout", NULL);
  g_autofree char *err_path = g_build_filename (h->dir, "stderr", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean exited = FALSE;

  g_clear_pointer (&h->peer, ows_test_peer_free);
  g_subprocess_send_signal (h->process, SIGTERM);
  g_subprocess_wait_async (h->process, NULL, exited_cb, &exited);
  g_assert_true (ows_test_wait_until (is_true, &exited, OWS_TEST_TIMEOUT_MS));
  g_assert_true (g_subprocess_get_if_exited (h->process));
  g_assert_cmpint (g_subprocess_get_exit_status (h->process), ==, 0);

  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
  g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
  return g_strconcat (out, err, NULL);
}

static void
headless_free (Headless *h)
{
  g_autoptr(GDir) dir = g_dir_open (h->dir, 0, NULL);
  g_autofree char *config = user_config_path ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (h->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (h->dir);
  g_unlink (config);
  g_clear_object (&h->process);
  soup_server_disconnect (h->portal);
  g_clear_object (&h->portal);
  g_free (h->url);
  g_free (h->mark);
  g_free (h->dir);
}

/* The id the manager gave @name, from its client.registered. */
static char *
register_client (OwsTestPeer *peer,
                 const char  *name,
                 const char  *type,
                 const char  *text)
{
  g_autofree char *json = ows_test_client_json (name, type, text, FALSE, FALSE);

  ows_test_peer_send (peer, P "register.client", json);
  for (;;)
    {
      g_autoptr(OwsMessage) reply = ows_test_peer_expect (peer, P "client.registered");
      JsonObject *data = ows_message_get_data (reply);

      if (g_strcmp0 (json_object_get_string_member (data, "client"), name) == 0)
        return g_strdup (json_object_get_string_member (data, "id"));
    }
}

static void
see (OwsTestPeer *peer,
     const char  *type)
{
  ows_message_unref (ows_test_peer_expect (peer, type));
}

static void
see_for (OwsTestPeer *peer,
         const char  *prefix,
         const char  *id)
{
  g_autofree char *type = g_strconcat (prefix, id, NULL);

  see (peer, type);
}

static void
wait_connectivity (OwsTestPeer *peer,
                   const char  *state)
{
  gint64 deadline = g_get_monotonic_time () + OWS_TEST_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(JsonObject) status = ows_test_peer_status (peer);
      const char *now = json_object_get_string_member (status, "connectivity");

      if (g_strcmp0 (now, state) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("connectivity is %s, expected %s", now, state);
      ows_test_sleep (50);
    }
}

/* Every file the shell payloads would have made starts with MARK. */
static void
assert_no_mark (Headless *h)
{
  g_autoptr(GDir) dir = g_dir_open (h->dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "MARK"))
      g_error ("a shell ran a command from the bus: %s/%s exists", h->dir, name);
}

/* The lines a captive portal and hostile clients make the manager log:
 * escaped, one line each, whatever they carry; nothing runs their payloads.
 * Each request of the client's life: register, activation (headless),
 * status, select while active, remove, set.active, deregister by name and
 * by id. */
static void
test_headless_log (void)
{
  Headless h = { 0 };
  g_autofree char *payload_name = NULL;
  g_autofree char *payload_type = NULL;
  g_autofree char *payload_text = NULL;
  g_autofree char *hostile_id = NULL;
  g_autofree char *payload_id = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *log = NULL;
  g_autofree char *deregister = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(OwsMessage) clients = NULL;
  g_auto(GStrv) lines = NULL;
  guint forged = 0;

  headless_start (&h);
  payload_name = g_strdup_printf ("$(touch %s1)", h.mark);
  payload_type = g_strdup_printf ("`touch %s2`", h.mark);
  payload_text = g_strdup_printf (";touch %s3 |touch %s4 && touch %s5\ntouch %s6 '\"$(touch %s7)",
                                  h.mark, h.mark, h.mark, h.mark, h.mark);

  /* The portal launches setup; headless, the first client without input runs it. */
  wait_connectivity (h.peer, "portal");
  hostile_id = register_client (h.peer, HOSTILE_NAME, HOSTILE_NAME, HOSTILE_NAME);
  see_for (h.peer, P "activate.", hostile_id);
  payload_id = register_client (h.peer, payload_name, payload_type, payload_text);

  /* On the bus, names stay what the clients said: only what is shown is escaped. */
  status = ows_test_peer_status (h.peer);
  g_assert_cmpstr (json_object_get_string_member (status, "active_client"), ==, HOSTILE_NAME);

  payload = ows_test_client_json (payload_name, payload_type, payload_text, FALSE, FALSE);
  ows_test_peer_send (h.peer, P "client.select", payload);
  ows_test_peer_send (h.peer, P "remove.active.client", NULL);
  see_for (h.peer, P "deactivate.", hostile_id);
  ows_test_peer_send (h.peer, P "set.active.client", payload);
  see_for (h.peer, P "activate.", payload_id);
  ows_test_peer_send (h.peer, P "deregister.client", payload);
  see_for (h.peer, P "deactivate.", payload_id);
  see (h.peer, P "client.deregistered");
  deregister = g_strdup_printf ("{\"client_id\": \"%s\"}", hostile_id);
  ows_test_peer_send (h.peer, P "deregister.client", deregister);
  see (h.peer, P "client.deregistered");
  ows_test_peer_send (h.peer, P "get.registered.clients", NULL);
  clients = ows_test_peer_expect (h.peer, P "registered.clients");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ows_message_get_data (clients),
                                                                         "clients")), ==, 0);

  log = headless_stop (&h);
  assert_terminal_safe (log, TRUE);
  /* The lines were written, escaped ... */
  g_assert_nonnull (strstr (log, "registered client " HOSTILE_NAME_SHOWN " as "));
  g_assert_nonnull (strstr (log, "active client = " HOSTILE_NAME_SHOWN));
  g_assert_nonnull (strstr (log, "client.select while " HOSTILE_NAME_SHOWN " is active: ignored"));
  g_assert_nonnull (strstr (log, "This network needs you to sign in at http://sign-in"));
  /* ... and none of them became two. */
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "FORGED") != NULL)
      {
        g_assert_nonnull (strstr (lines[i], "evil\\u001b"));
        forged++;
      }
  g_assert_cmpuint (forged, >=, 2);
  assert_no_mark (&h);
  headless_free (&h);
}

/* SIGHUP ends the headless program as SIGTERM does: the active client hears
 * stop.setup.event and the exit status is 0, not death by the signal. */
static void
test_headless_sighup (void)
{
  Headless h = { 0 };
  g_autofree char *id = NULL;
  gboolean exited = FALSE;

  headless_start (&h);
  wait_connectivity (h.peer, "portal");
  id = register_client (h.peer, "hup-client", "hup-client", "Hang-up client");
  see_for (h.peer, P "activate.", id);

  g_subprocess_send_signal (h.process, SIGHUP);
  see (h.peer, P "stop.setup.event");
  g_subprocess_wait_async (h.process, NULL, exited_cb, &exited);
  g_assert_true (ows_test_wait_until (is_true, &exited, OWS_TEST_TIMEOUT_MS));
  g_assert_true (g_subprocess_get_if_exited (h.process));
  g_assert_cmpint (g_subprocess_get_exit_status (h.process), ==, 0);
  g_clear_pointer (&h.peer, ows_test_peer_free);
  headless_free (&h);
}

/* ---- the embedded bus: loopback only, unless allowed ---- */

#define OWS_TYPE_FAKE_RESOLVER (ows_fake_resolver_get_type ())
G_DECLARE_FINAL_TYPE (OwsFakeResolver, ows_fake_resolver, OWS, FAKE_RESOLVER, GResolver)

struct _OwsFakeResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (OwsFakeResolver, ows_fake_resolver, G_TYPE_RESOLVER)

/* A DNS of the test's own: names that resolve to the LAN, to both, to loopback. */
static GList *
ows_fake_resolver_lookup_by_name (GResolver     *resolver,
                                  const char    *hostname,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  GList *addresses = NULL;

  if (g_str_equal (hostname, "lan.example") || g_str_equal (hostname, "mixed.example"))
    addresses = g_list_append (addresses, g_inet_address_new_from_string ("192.0.2.10"));
  if (g_str_equal (hostname, "mixed.example") || g_str_equal (hostname, "loop.example"))
    addresses = g_list_append (addresses, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  if (addresses == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no %s here", hostname);
  return addresses;
}

static void
ows_fake_resolver_class_init (OwsFakeResolverClass *klass)
{
  G_RESOLVER_CLASS (klass)->lookup_by_name = ows_fake_resolver_lookup_by_name;
}

static void
ows_fake_resolver_init (OwsFakeResolver *self)
{
}

static gboolean
ipv6_works (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* Refused before anything is bound: no port, and nothing answers at
 * @probe (where a bind would have been reachable). */
static void
assert_refused (const char   *host,
                GInetAddress *probe)
{
  g_autoptr(OwsBusServer) server = ows_bus_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint port = ows_test_free_port ();

  g_test_message ("%s, port %u", host, port);
  g_assert_false (ows_bus_server_listen (server, host, port, NULL, &error));
  g_assert_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_NOT_LOOPBACK);
  g_assert_nonnull (strstr (error->message, host));
  g_assert_cmpuint (ows_bus_server_get_port (server), ==, 0);
  url = ows_bus_server_dup_url (server);
  g_assert_null (url);
  assert_nothing_listens (probe, port);
}

/* This machine's own addresses beyond loopback (link-local ones need a scope). */
static GPtrArray *
lan_addresses (void)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  struct ifaddrs *interfaces = NULL;

  g_assert_cmpint (getifaddrs (&interfaces), ==, 0);
  for (struct ifaddrs *i = interfaces; i != NULL; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) address = NULL;
      GInetAddress *inet;

      if (i->ifa_addr == NULL ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      address = g_socket_address_new_from_native (i->ifa_addr, i->ifa_addr->sa_family == AF_INET
                                                               ? sizeof (struct sockaddr_in)
                                                               : sizeof (struct sockaddr_in6));
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      if (!g_inet_address_get_is_loopback (inet) && !g_inet_address_get_is_link_local (inet))
        g_ptr_array_add (found, g_object_ref (inet));
    }
  freeifaddrs (interfaces);
  return found;
}

static void
test_bus_refuses_beyond_loopback (void)
{
  const char *wildcards[] = { "0.0.0.0", "::ffff:0.0.0.0", "192.0.2.1" };
  g_autoptr(GInetAddress) loopback4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) loopback6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GPtrArray) lan = lan_addresses ();

  for (guint i = 0; i < G_N_ELEMENTS (wildcards); i++)
    assert_refused (wildcards[i], loopback4);
  if (ipv6_works ())
    assert_refused ("::", loopback6);

  if (lan->len == 0)
    g_test_message ("no address beyond loopback on this machine");
  for (guint i = 0; i < lan->len; i++)
    {
      g_autofree char *host = g_inet_address_to_string (lan->pdata[i]);

      assert_refused (host, lan->pdata[i]);
    }
}

/* A name is judged by the address it resolves to, not by how it looks. */
static void
test_bus_refuses_names_beyond_loopback (void)
{
  g_autoptr(GResolver) real = g_resolver_get_default ();
  g_autoptr(GResolver) fake = g_object_new (OWS_TYPE_FAKE_RESOLVER, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(OwsBusServer) server = ows_bus_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_resolver_set_default (fake);
  assert_refused ("lan.example", loopback);
  /* The first address is the one served: beyond loopback, refused. */
  assert_refused ("mixed.example", loopback);
  g_assert_true (ows_bus_server_listen (server, "loop.example", 0, NULL, &error));
  g_assert_no_error (error);
  url = ows_bus_server_dup_url (server);
  g_assert_true (g_str_has_prefix (url, "ws://127.0.0.1:"));
  ows_bus_server_stop (server);
  g_resolver_set_default (real);
}

/* The listening bus greets a peer that connects to the URL it gives. */
static void
assert_serves (OwsBusServer *server)
{
  g_autofree char *url = ows_bus_server_dup_url (server);
  g_autoptr(OwsTestPeer) peer = NULL;

  g_assert_nonnull (url);
  g_assert_cmpuint (ows_bus_server_get_port (server), >, 0);
  peer = ows_test_peer_new (url);
  ows_message_unref (ows_test_peer_expect (peer, "connected"));
}

static void
test_bus_loopback_listens (void)
{
  const char *hosts[] = { NULL, "127.0.0.1", "127.0.0.2", "localhost", "LocalHost", "::1" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(OwsBusServer) server = ows_bus_server_new ();
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (hosts[i], "::1") == 0 && !ipv6_works ())
        {
          g_test_message ("no IPv6 here: ::1 not tried");
          continue;
        }
      g_test_message ("%s", hosts[i] ? hosts[i] : "(default)");
      g_assert_true (ows_bus_server_listen (server, hosts[i], 0, NULL, &error));
      g_assert_no_error (error);
      assert_serves (server);
      ows_bus_server_stop (server);
    }
}

static void
test_bus_allow_remote (void)
{
  g_autoptr(OwsBusServer) server = ows_bus_server_new ();
  g_autoptr(GError) error = NULL;

  ows_bus_server_set_allow_remote (server, TRUE);
  g_assert_true (ows_bus_server_listen (server, "0.0.0.0", 0, NULL, &error));
  g_assert_no_error (error);
  assert_serves (server);
  ows_bus_server_stop (server);

  if (!ipv6_works ())
    return;
  g_assert_true (ows_bus_server_listen (server, "::", 0, NULL, &error));
  g_assert_no_error (error);
  assert_serves (server);
  ows_bus_server_stop (server);
}

typedef struct {
  OwsConfig *config;
  OwsTestProbe *probe;
  GNetworkMonitor *monitor;
} ServiceFixture;

static void
service_fixture_setup (ServiceFixture *f,
                       gconstpointer   data)
{
  f->config = ows_config_new ();
  ows_config_load (f->config);
  f->probe = ows_test_probe_new ();
  ows_test_probe_configure (f->probe, f->config);
  f->monitor = ows_test_network_monitor_new (TRUE, G_NETWORK_CONNECTIVITY_FULL);
}

static void
service_fixture_teardown (ServiceFixture *f,
                          gconstpointer   data)
{
  g_clear_object (&f->monitor);
  g_clear_pointer (&f->probe, ows_test_probe_free);
  g_clear_object (&f->config);
}

/* What ovos-wifi-setup and its window say when the embedded bus may not
 * listen there: the option that would let it. */
static void
test_service_refusal_names_option (ServiceFixture *f,
                                   gconstpointer   data)
{
  const char *hosts[] = { "0.0.0.0", "192.0.2.1" };
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      guint port = ows_test_free_port ();
      g_autofree char *url = g_strdup_printf ("ws://%s:%u/core", hosts[i], port);
      g_autofree char *expected = g_strdup_printf ("The embedded bus listens on loopback only; "
                                                   "%s is not loopback. Pass --allow-remote-bus "
                                                   "to serve the network.", hosts[i]);
      g_autoptr(OwsService) service = ows_service_new (f->config, url, f->monitor);
      g_autoptr(GError) error = NULL;

      g_assert_false (ows_service_start (service, TRUE, &error));
      g_assert_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_NOT_LOOPBACK);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_null (ows_service_get_server (service));
      g_assert_null (ows_service_get_bus (service));
      assert_nothing_listens (loopback, port);
    }
}

/* --allow-remote-bus: the manager serves 0.0.0.0, and answers on it. */
static void
test_service_allow_remote (ServiceFixture *f,
                           gconstpointer   data)
{
  guint port = ows_test_free_port ();
  g_autofree char *url = g_strdup_printf ("ws://0.0.0.0:%u/core", port);
  g_autofree char *local = g_strdup_printf ("ws://127.0.0.1:%u/core", port);
  g_autoptr(OwsService) service = ows_service_new (f->config, url, f->monitor);
  g_autoptr(OwsTestPeer) peer = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;

  ows_service_set_allow_remote_bus (service, TRUE);
  g_assert_true (ows_service_start (service, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ows_bus_server_get_port (ows_service_get_server (service)), ==, port);
  peer = ows_test_peer_new (local);
  status = ows_test_peer_status (peer);
  g_assert_true (json_object_has_member (status, "setup_mode"));
}

typedef struct {
  const char *options[3];
  gboolean valid;
} OptionsCase;

/* --allow-remote-bus is about the embedded bus, and means nothing alone. */
static void
test_options_allow_remote_bus (void)
{
  const OptionsCase cases[] = {
    { { NULL }, TRUE },
    { { "embedded-bus", NULL }, TRUE },
    { { "embedded-bus", "allow-remote-bus", NULL }, TRUE },
    { { "allow-remote-bus", NULL }, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);
      g_auto(OwsOptions) options = { 0 };
      g_autoptr(GError) error = NULL;
      gboolean allow = FALSE, embedded = FALSE;

      for (guint j = 0; cases[i].options[j] != NULL; j++)
        {
          g_variant_dict_insert (dict, cases[i].options[j], "b", TRUE);
          allow |= g_str_equal (cases[i].options[j], "allow-remote-bus");
          embedded |= g_str_equal (cases[i].options[j], "embedded-bus");
        }
      g_test_message ("case %u", i);
      g_assert_cmpint (ows_options_read (&options, dict, &error), ==, cases[i].valid);
      if (!cases[i].valid)
        {
          g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED);
          g_assert_nonnull (strstr (error->message, "--allow-remote-bus"));
          g_assert_nonnull (strstr (error->message, "--embedded-bus"));
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (options.allow_remote_bus, ==, allow);
      g_assert_cmpint (options.embedded_bus, ==, embedded);
    }
}

static int
read_options_cb (GApplication *app,
                 GVariantDict *dict,
                 OwsOptions   *options)
{
  g_assert_true (ows_options_read (options, dict, NULL));
  return 0;
}

/* The command line knows the option. */
static void
test_options_parse_allow_remote_bus (void)
{
  g_autoptr(GApplication) app = g_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_auto(OwsOptions) options = { 0 };
  char *argv[] = { "ovos-wifi-setup", "--embedded-bus", "--allow-remote-bus", NULL };

  ows_options_add_to (app);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (read_options_cb), &options);
  g_assert_cmpint (g_application_run (app, G_N_ELEMENTS (argv) - 1, argv), ==, 0);
  g_assert_true (options.embedded_bus);
  g_assert_true (options.allow_remote_bus);
}

/* ---- nothing from the bus reaches a shell ---- */

/* C comments out, so that prose about exec() is not code. */
static char *
strip_comments (const char *source)
{
  g_autoptr(GRegex) comments = g_regex_new ("/\\*.*?\\*/|//[^\\n]*", G_REGEX_DOTALL, 0, NULL);

  /* Line numbers stay right: each comment becomes its own newlines. */
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GMatchInfo) match = NULL;
  int last = 0;

  g_regex_match (comments, source, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;

      g_match_info_fetch_pos (match, 0, &start, &end);
      g_string_append_len (out, source + last, start - last);
      for (int i = start; i < end; i++)
        if (source[i] == '\n')
          g_string_append_c (out, '\n');
      last = end;
      g_match_info_next (match, NULL);
    }
  g_string_append (out, source + last);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every way C has of running a program, a shell among them. */
#define RUNS_A_PROGRAM \
  "\\b(system|popen|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|" \
  "posix_spawnp?|g_spawn_\\w+|g_subprocess_\\w+|g_shell_parse_argv|" \
  "g_app_info_create_from_commandline)\\s*\\(|\\bGSubprocess\\w*|\"/bin/(ba)?sh\"|\\bwordexp\\b"

static void
scan_sources (const char *dir,
              const char *relative,
              GRegex     *pattern,
              GPtrArray  *hits,
              GPtrArray  *scripts)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *shown = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *text = NULL;
      g_autofree char *code = NULL;
      g_auto(GStrv) lines = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          scan_sources (path, shown, pattern, hits, scripts);
          continue;
        }
      if (g_str_has_suffix (name, ".sh"))
        g_ptr_array_add (scripts, g_steal_pointer (&path));
      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
        continue;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      code = strip_comments (text);
      lines = g_strsplit (code, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_regex_match (pattern, lines[i], 0, NULL))
          g_ptr_array_add (hits, g_strdup_printf ("%s:%s", shown, g_strstrip (lines[i])));
    }
}

/* src/ runs three programs: the window, which main.c execs with its own
 * command line (argv as given, argv[0] our own path); the sign-in window,
 * which Sign In starts by its path with the portal's address after "--";
 * and the phone setup's hotspot, started by its path with options only (its
 * password goes through a pipe). No shell. */
static void
test_no_shell_in_sources (void)
{
  g_autofree char *src = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "src", NULL);
  g_autofree char *main_path = g_build_filename (src, "main.c", NULL);
  g_autofree char *main_text = NULL;
  g_autoptr(GRegex) pattern = g_regex_new (RUNS_A_PROGRAM, 0, 0, NULL);
  g_autoptr(GRegex) argv_written = g_regex_new ("program(->|\\.)argv(\\[0\\])?\\s*=[^=]", 0, 0, NULL);
  g_autoptr(GRegex) shell_words = g_regex_new ("\\beval\\b|\\b(ba)?sh -c\\b|\\bsource\\b", 0, 0, NULL);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) scripts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMatchInfo) match = NULL;
  guint writes = 0;

  scan_sources (src, NULL, pattern, hits, scripts);
  for (guint i = 0; i < hits->len; i++)
    {
      const char *hit = hits->pdata[i];

      g_test_message ("runs a program: %s", hit);
      /* Besides main.c's exec, only Sign In and the phone setup start a
       * program, each by its path. */
      if (g_str_has_prefix (hit, "main.c:"))
        {
          g_assert_cmpstr (hit, ==, "main.c:execv (path, program->argv);");
          continue;
        }
      g_assert_true (g_str_has_prefix (hit, "gui/ows-sign-in.c:") ||
                     g_str_has_prefix (hit, "core/ows-phone-client.c:"));
      if (g_regex_match_simple ("\\b(g_spawn_\\w+|g_subprocess_new\\w*|g_subprocess_launcher\\w*)\\s*\\(",
                                hit, 0, 0))
        g_assert_true (g_str_equal (hit, "gui/ows-sign-in.c:process = g_subprocess_newv "
                                         "((const char * const *) argv->pdata,") ||
                       g_str_equal (hit, "core/ows-phone-client.c:self->process = g_subprocess_newv "
                                         "((const char * const *) argv->pdata,"));
    }
  {
    g_autofree char *sign_in_path = g_build_filename (src, "gui", "ows-sign-in.c", NULL);
    g_autofree char *sign_in = NULL;

    g_assert_true (g_file_get_contents (sign_in_path, &sign_in, NULL, NULL));
    g_assert_nonnull (strstr (sign_in, "g_ptr_array_add (argv, program);"));
    g_assert_nonnull (strstr (sign_in, "g_ptr_array_add (argv, \"--\");\n"
                                       "      g_ptr_array_add (argv, (char *) uri);"));
  }

  /* What it passes: the command line it was given, and the window's path. */
  g_assert_true (g_file_get_contents (main_path, &main_text, NULL, NULL));
  g_assert_nonnull (strstr (main_text, "program.argv = g_strdupv (argv);"));
  g_assert_nonnull (strstr (main_text, "program->argv[0] = g_strdup (path);"));
  g_assert_nonnull (strstr (main_text, "g_autofree char *path = window_program_path ();"));
  g_regex_match (argv_written, main_text, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    writes++;
  g_assert_cmpuint (writes, ==, 2);

  /* The shell scripts of src/ evaluate nothing they read. */
  g_assert_cmpuint (scripts->len, >, 0);
  for (guint i = 0; i < scripts->len; i++)
    {
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (scripts->pdata[i], &text, NULL, NULL));
      if (g_regex_match (shell_words, text, 0, NULL))
        g_error ("%s evaluates text as commands", (char *) scripts->pdata[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

  g_test_add_func ("/ows/security/escape/table", test_escape_table);
  g_test_add_func ("/ows/security/escape/every-character", test_escape_every_character);
  g_test_add_func ("/ows/security/escape/keeps-json", test_escape_keeps_json);
  g_test_add_func ("/ows/security/headless-log", test_headless_log);
  g_test_add_func ("/ows/security/headless-sighup", test_headless_sighup);
  g_test_add_func ("/ows/security/bus/refuses-beyond-loopback", test_bus_refuses_beyond_loopback);
  g_test_add_func ("/ows/security/bus/refuses-names-beyond-loopback",
                   test_bus_refuses_names_beyond_loopback);
  g_test_add_func ("/ows/security/bus/loopback-listens", test_bus_loopback_listens);
  g_test_add_func ("/ows/security/bus/allow-remote", test_bus_allow_remote);
  g_test_add ("/ows/security/service/refusal-names-option", ServiceFixture, NULL,
              service_fixture_setup, test_service_refusal_names_option, service_fixture_teardown);
  g_test_add ("/ows/security/service/allow-remote", ServiceFixture, NULL,
              service_fixture_setup, test_service_allow_remote, service_fixture_teardown);
  g_test_add_func ("/ows/security/options/allow-remote-bus", test_options_allow_remote_bus);
  g_test_add_func ("/ows/security/options/parse-allow-remote-bus",
                   test_options_parse_allow_remote_bus);
  g_test_add_func ("/ows/security/no-shell-in-sources", test_no_shell_in_sources);

  return g_test_run ();
}
