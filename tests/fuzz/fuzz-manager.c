/* fuzz-manager.c: fuzz target: a manager fed a sequence of frames over an in-memory bus.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The input is JSONL: one frame per line, delivered as OwsBus delivers it
 * (peek filter, parse, one message at a time). What the manager sends comes
 * back to it as the bus loops it back. After every line, once the main
 * context has nothing left to run without waiting, the invariants hold:
 *
 *  - the registry is within its limit, names and ids are unique, lookups by
 *    name and by id find each client, and the registry's "items-changed"
 *    told the truth (a list view follows it);
 *  - at most one client is active, as the bus heard it too: every
 *    activate.{id} of another client came after the deactivate.{id} of the
 *    one before, and neither names an unregistered client;
 *  - the active client is registered, and the selection is not showing
 *    while it runs;
 *  - every frame the manager sends parses back to what it sent; an answer
 *    to a request carries the request's context, source and destination
 *    swapped, and what it says on its own carries its name as the source
 *    (PROTOCOL.md section 1).
 *
 * Lines starting with '#' set the scene (README.md): #screen, #headless,
 * #fill (register clients up to the limit), #stop-now, the network as the
 * watchdog finds it (#offline, #network, #portal), and, before the first
 * frame, #first-boot, #no-grace, #no-watchdog. In a frame, $0 … $9 stand
 * for the ids the manager handed out, in order, since ids are random.
 */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "config.h"

#include "ows-fuzz.h"
#include "ows-manager-private.h"
#include "ows-test-network-monitor.h"

/* No request makes the manager say more than a handful of frames. */
#define MAX_DELIVERIES_PER_LINE 64
#define MAX_DISPATCHES_PER_DRAIN 256

typedef struct
{
  OwsConfig *config;
  GNetworkMonitor *monitor;
  OwsConnectivity *watchdog;
  OwsManager *manager;
  GPtrArray *model;       /* OwsClient: the registry as "items-changed" told it */
  GPtrArray *ids;         /* ids in the order the manager handed them out: $0 … */
  char *bus_active;       /* what the bus heard: activated and not deactivated since */
  GQueue inbox;           /* OwsMessage, as OwsBus's */
  OwsMessage *handling;   /* the request being handled, or NULL */
  gboolean delivering;
  guint deliveries;
  gboolean registry_changed;
} Fuzz;

static char *scratch;

/* The bus */

static gboolean
wanted (const char *type)
{
  return ows_manager_wants_type (type, NULL);
}

/* One message at a time, as OwsBus delivers: what a handler sends is
 * handled after it returns. */
static void
deliver (Fuzz       *fuzz,
         OwsMessage *message)
{
  g_queue_push_tail (&fuzz->inbox, message);
  if (fuzz->delivering)
    return;

  fuzz->delivering = TRUE;
  while ((message = g_queue_pop_head (&fuzz->inbox)) != NULL)
    {
      if (++fuzz->deliveries > MAX_DELIVERIES_PER_LINE)
        g_error ("more than %d messages for one frame: the manager talks to itself in a loop",
                 MAX_DELIVERIES_PER_LINE);
      fuzz->handling = message;
      ows_manager_handle_message (fuzz->manager, message);
      fuzz->handling = NULL;
      ows_message_unref (message);
    }
  fuzz->delivering = FALSE;
}

/* A frame from the wire, through OwsBus's filter: the peek drops unrelated
 * traffic when it is sure, the parse decides the rest. */
static void
receive (Fuzz       *fuzz,
         const char *text,
         gsize       length)
{
  char peeked[OWS_MESSAGE_PEEK_MAX + 1];
  OwsMessage *message;

  if (ows_message_peek_type (text, length, peeked) && !wanted (peeked))
    return;
  message = ows_message_parse (text, length, NULL);
  if (message == NULL)
    return;
  if (!wanted (ows_message_get_type_name (message)))
    {
      ows_message_unref (message);
      return;
    }
  deliver (fuzz, message);
}

static const char *
client_event_id (const char *type,
                 const char *event)
{
  gsize prefix = strlen (OWS_PREFIX), length = strlen (event);

  if (strncmp (type, OWS_PREFIX, prefix) != 0 || strncmp (type + prefix, event, length) != 0
      || type[prefix + length] != '.')
    return NULL;
  return type + prefix + length + 1;
}

/* What the bus hears of activations, checked when it is said. */
static void
track_activation (Fuzz       *fuzz,
                  OwsMessage *message)
{
  const char *type = ows_message_get_type_name (message);
  const char *activated = client_event_id (type, "activate");
  const char *deactivated = client_event_id (type, "deactivate");
  const char *id = activated ? activated : deactivated;
  OwsClient *active = ows_manager_get_active_client (fuzz->manager);

  if (id == NULL)
    return;
  if (ows_registry_lookup_id (ows_manager_get_registry (fuzz->manager), id) == NULL)
    g_error ("%s names no registered client", type);
  if (active == NULL || strcmp (ows_client_get_id (active), id) != 0)
    g_error ("%s said while the active client is %s", type,
             active ? ows_client_get_id (active) : "(none)");

  if (activated != NULL)
    {
      if (fuzz->bus_active != NULL && strcmp (fuzz->bus_active, id) != 0)
        g_error ("%s while %s was never deactivated", type, fuzz->bus_active);
      g_free (fuzz->bus_active);
      fuzz->bus_active = g_strdup (id);
    }
  else
    {
      if (g_strcmp0 (fuzz->bus_active, id) != 0)
        g_error ("%s, but the bus heard %s activated", type,
                 fuzz->bus_active ? fuzz->bus_active : "nothing");
      g_clear_pointer (&fuzz->bus_active, g_free);
    }
}

static void
track_ids (Fuzz       *fuzz,
           OwsMessage *message)
{
  const char *id;

  if (strcmp (ows_message_get_type_name (message), OWS_PREFIX "client.registered") != 0)
    return;
  id = json_object_get_string_member_with_default (ows_message_get_data (message), "id", NULL);
  if (id == NULL || *id == '\0')
    g_error ("client.registered without an id");
  if (!g_ptr_array_find_with_equal_func (fuzz->ids, id, g_str_equal, NULL))
    g_ptr_array_add (fuzz->ids, g_strdup (id));
}

/* What the manager says in answer to a request (PROTOCOL.md section 1). */
static const char *const answer_types[] = {
  OWS_PREFIX "client.registered",
  OWS_PREFIX "client.registration.failure",
  OWS_PREFIX "client.deregistered",
  OWS_PREFIX "client.deregistration.failure",
  OWS_PREFIX "registered.clients",
  OWS_PREFIX "status.response",
  OWS_PREFIX "set.active.client",
  OWS_PREFIX "fully_offline",
  "mycroft.internet.is_ready.response",
};

static void
check_context (Fuzz       *fuzz,
               OwsMessage *message)
{
  const char *type = ows_message_get_type_name (message);
  JsonObject *context = ows_message_get_context (message);
  const char *id = client_event_id (type, "activate");

  if (g_strv_contains ((const char *const *) answer_types, type))
    {
      g_autoptr(OwsMessage) expected = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;

      if (fuzz->handling == NULL)
        g_error ("%s said while no request is handled", type);
      expected = ows_message_reply (fuzz->handling, type, NULL);
      a = json_node_init_object (json_node_alloc (), ows_message_get_context (expected));
      b = json_node_init_object (json_node_alloc (), context);
      if (!json_node_equal (a, b))
        g_error ("%s does not carry the context of the %s it answers", type,
                 ows_message_get_type_name (fuzz->handling));
      return;
    }

  if (g_strcmp0 (json_object_get_string_member_with_default (context, "source", NULL),
                 OWS_BUS_NAME) != 0)
    g_error ("%s, said on its own, is not from " OWS_BUS_NAME, type);

  id = id ? id : client_event_id (type, "deactivate");
  if (id != NULL)
    {
      OwsClient *client = ows_registry_lookup_id (ows_manager_get_registry (fuzz->manager), id);

      if (client == NULL
          || g_strcmp0 (json_object_get_string_member_with_default (context, "destination", NULL),
                        ows_client_get_name (client)) != 0)
        g_error ("%s is not addressed to its client", type);
    }
}

/* The manager's "send": on the wire and back, as OwsBus loops it back. */
static void
send_cb (OwsManager *manager,
         OwsMessage *message,
         Fuzz       *fuzz)
{
  g_autofree char *text = NULL;
  g_autoptr(OwsMessage) again = NULL;
  gsize length;

  text = ows_message_serialize (message, &length);
  again = ows_message_parse (text, length, NULL);
  if (again == NULL || strcmp (ows_message_get_type_name (message),
                               ows_message_get_type_name (again)) != 0)
    g_error ("the manager sent a frame that does not parse back: %s", text);

  check_context (fuzz, message);
  track_ids (fuzz, message);
  track_activation (fuzz, message);
  if (wanted (ows_message_get_type_name (message)))
    deliver (fuzz, ows_message_ref (message));
}

/* The invariants */

static void
items_changed_cb (GListModel *registry,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fuzz       *fuzz)
{
  fuzz->registry_changed = TRUE;
  if (position + removed > fuzz->model->len)
    g_error ("items-changed removes past the end");
  g_ptr_array_remove_range (fuzz->model, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (fuzz->model, position + i, g_list_model_get_item (registry, position + i));
}

static gboolean
is_alnum (const char *id)
{
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return *id != '\0';
}

/* Each client found by its name and by its id: that also makes names and
 * ids unique, since a lookup finds one client only. */
static void
check_registry (Fuzz *fuzz)
{
  OwsRegistry *registry = ows_manager_get_registry (fuzz->manager);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (registry));

  if (n > ows_registry_get_limit (registry))
    g_error ("%u clients registered, the limit is %u", n, ows_registry_get_limit (registry));
  if (n != fuzz->model->len)
    g_error ("%u clients registered, items-changed told of %u", n, fuzz->model->len);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwsClient) client = g_list_model_get_item (G_LIST_MODEL (registry), i);
      const char *name = ows_client_get_name (client);
      const char *id = ows_client_get_id (client);

      if (client != g_ptr_array_index (fuzz->model, i))
        g_error ("item %u is not the one items-changed told of", i);
      if (name == NULL || *name == '\0' || !is_alnum (id))
        g_error ("item %u has no name or a bad id", i);
      if (ows_registry_lookup_name (registry, name) != client
          || ows_registry_lookup_id (registry, id) != client)
        g_error ("the lookups miss %s (%s): registered twice, or lost", name, id);
    }
  if (g_list_model_get_item (G_LIST_MODEL (registry), n) != NULL)
    g_error ("an item past the end");
  fuzz->registry_changed = FALSE;
}

static void
check_invariants (Fuzz *fuzz)
{
  OwsClient *active = ows_manager_get_active_client (fuzz->manager);
  OwsRegistry *registry = ows_manager_get_registry (fuzz->manager);

  /* Only a change can break the registry, and a change says so; a full
   * scan after every frame would make big inputs quadratic. */
  if (fuzz->registry_changed)
    check_registry (fuzz);
  if (active != NULL
      && (ows_registry_lookup_id (registry, ows_client_get_id (active)) != active
          || ows_registry_lookup_name (registry, ows_client_get_name (active)) != active))
    g_error ("the active client %s is not registered", ows_client_get_name (active));
  if (g_strcmp0 (fuzz->bus_active, active ? ows_client_get_id (active) : NULL) != 0)
    g_error ("the bus heard %s activated, the active client is %s",
             fuzz->bus_active ? fuzz->bus_active : "nothing",
             active ? ows_client_get_id (active) : "none");
  if (active != NULL && ows_manager_get_in_setup (fuzz->manager))
    g_error ("the selection shows while %s runs the setup", ows_client_get_name (active));
}

/* Whatever is due now (idle verdicts, zero timeouts), without waiting. */
static void
drain (void)
{
  guint dispatches = 0;

  while (g_main_context_iteration (NULL, FALSE))
    if (++dispatches > MAX_DISPATCHES_PER_DRAIN)
      g_error ("the main context never settles");
}

/* One input */

static void
override (Fuzz       *fuzz,
          const char *key,
          JsonNode   *value)
{
  g_autoptr(JsonNode) node = value;

  ows_config_override (fuzz->config, OWS_CONFIG_PLUGIN_SECTION, key, node);
}

/* As in the protocol tests: not a first boot, and a grace period and
 * recheck interval far longer than any input. The watchdog asks no one:
 * without probe addresses its verdict is the network monitor's (no network
 * unless a directive says otherwise), from an idle that drain() runs when
 * there is no network, at once otherwise. */
static void
fuzz_init (Fuzz *fuzz)
{
  const char *probe_keys[] = { "captive_portal_url", "web_url", "web_url_secondary" };

  fuzz->config = ows_config_new ();
  fuzz->monitor = ows_test_network_monitor_new (FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  fuzz->model = g_ptr_array_new_with_free_func (g_object_unref);
  fuzz->ids = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&fuzz->inbox);
  override (fuzz, "first_boot", json_node_init_boolean (json_node_alloc (), FALSE));
  override (fuzz, "grace_period", json_node_init_int (json_node_alloc (), 3600));
  override (fuzz, "time_between_checks", json_node_init_int (json_node_alloc (), 3600));
  for (guint i = 0; i < G_N_ELEMENTS (probe_keys); i++)
    {
      g_autoptr(JsonNode) none = json_node_init_string (json_node_alloc (), "");

      ows_config_override (fuzz->config, "network_tests", probe_keys[i], none);
    }
}

static void
start_manager (Fuzz *fuzz)
{
  if (fuzz->manager != NULL)
    return;
  fuzz->watchdog = ows_connectivity_new (fuzz->config, fuzz->monitor);
  fuzz->manager = ows_manager_new (fuzz->config, fuzz->watchdog);
  g_signal_connect (fuzz->manager, "send", G_CALLBACK (send_cb), fuzz);
  g_signal_connect (ows_manager_get_registry (fuzz->manager), "items-changed",
                    G_CALLBACK (items_changed_cb), fuzz);
  ows_manager_bus_connected (fuzz->manager);
}

static void
assert_finalized (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  if (weak != NULL)
    g_error ("a %s outlives its owner", G_OBJECT_TYPE_NAME (weak));
}

static void
fuzz_clear (Fuzz *fuzz)
{
  g_autofree char *user_file = NULL;

  if (fuzz->manager != NULL)
    {
      fuzz->deliveries = 0;
      ows_manager_shutdown (fuzz->manager);
      check_invariants (fuzz);
      check_registry (fuzz);
      g_signal_handlers_disconnect_by_data (ows_manager_get_registry (fuzz->manager), fuzz);
      g_signal_handlers_disconnect_by_data (fuzz->manager, fuzz);
      assert_finalized (fuzz->manager);
      assert_finalized (fuzz->watchdog);
    }
  drain ();
  user_file = g_strdup (ows_config_get_user_path (fuzz->config));
  assert_finalized (fuzz->config);
  assert_finalized (fuzz->monitor);
  g_ptr_array_unref (fuzz->model);
  g_ptr_array_unref (fuzz->ids);
  g_free (fuzz->bus_active);
  g_assert_true (g_queue_is_empty (&fuzz->inbox));

  /* What the manager persisted must not reach the next input. */
  if (user_file != NULL)
    g_unlink (user_file);
}

/* Registers clients until the registry is full, then one more. */
static void
fill (Fuzz *fuzz)
{
  GListModel *registry = G_LIST_MODEL (ows_manager_get_registry (fuzz->manager));
  guint limit = ows_registry_get_limit (OWS_REGISTRY (registry));

  for (guint i = 0; i <= 2 * limit; i++)
    {
      gboolean full = g_list_model_get_n_items (registry) >= limit;
      g_autofree char *frame =
        g_strdup_printf ("{\"type\": \"" OWS_PREFIX "register.client\", \"data\": "
                         "{\"client\": \"fill%u\", \"type\": \"Remote\", \"display_text\": "
                         "\"Fill %u\", \"requires_input\": %s}}", i, i, i % 2 ? "true" : "false");

      fuzz->deliveries = 0;
      receive (fuzz, frame, strlen (frame));
      if (full)
        break;
    }
}

static void
directive (Fuzz       *fuzz,
           const char *line,
           gsize       length)
{
  g_autofree char *word = g_strndup (line, length);

  g_strchomp (word);
  if (strcmp (word, "#first-boot") == 0)
    override (fuzz, "first_boot", json_node_init_boolean (json_node_alloc (), TRUE));
  else if (strcmp (word, "#no-grace") == 0)
    override (fuzz, "grace_period", json_node_init_int (json_node_alloc (), 0));
  else if (strcmp (word, "#no-watchdog") == 0)
    override (fuzz, "enable_watchdog", json_node_init_boolean (json_node_alloc (), FALSE));
  else if (strcmp (word, "#offline") == 0)
    ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (fuzz->monitor), FALSE,
                                  G_NETWORK_CONNECTIVITY_LOCAL);
  else if (strcmp (word, "#network") == 0)
    ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (fuzz->monitor), TRUE,
                                  G_NETWORK_CONNECTIVITY_FULL);
  else if (strcmp (word, "#portal") == 0)
    ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (fuzz->monitor), TRUE,
                                  G_NETWORK_CONNECTIVITY_PORTAL);
  else if (strcmp (word, "#screen") == 0)
    {
      start_manager (fuzz);
      ows_manager_set_has_screen (fuzz->manager, TRUE);
    }
  else if (strcmp (word, "#headless") == 0)
    {
      start_manager (fuzz);
      ows_manager_set_has_screen (fuzz->manager, FALSE);
    }
  else if (strcmp (word, "#stop-now") == 0)
    {
      start_manager (fuzz);
      ows_manager_set_stop_timeout (fuzz->manager, 0);
    }
  else if (strcmp (word, "#fill") == 0)
    {
      start_manager (fuzz);
      fill (fuzz);
    }
}

/* $0 … $9: the ids handed out so far, in order. */
static GString *
expand_ids (Fuzz       *fuzz,
            const char *line,
            gsize       length)
{
  GString *frame = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      guint index = fuzz->ids->len;

      if (line[i] == '$' && i + 1 < length && g_ascii_isdigit (line[i + 1]))
        index = g_ascii_digit_value (line[i + 1]);
      if (index < fuzz->ids->len)
        {
          g_string_append (frame, g_ptr_array_index (fuzz->ids, index));
          i++;
        }
      else
        g_string_append_c (frame, line[i]);
    }
  return frame;
}

static void
run_line (Fuzz       *fuzz,
          const char *line,
          gsize       length)
{
  fuzz->deliveries = 0;
  if (line[0] == '#')
    directive (fuzz, line, length);
  else
    {
      g_autoptr(GString) frame = NULL;

      start_manager (fuzz);
      frame = expand_ids (fuzz, line, length);
      receive (fuzz, frame->str, frame->len);
    }
  drain ();
  if (fuzz->manager != NULL)
    check_invariants (fuzz);
}

/* Tests never touch the machine's mycroft.conf; /dev/shm makes the
 * manager's fsyncs cheap. */
static void
isolate_config (void)
{
  const char *tmp = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
  g_autofree char *template = g_build_filename (tmp, "ows-fuzz-XXXXXX", NULL);
  g_autofree char *config_home = NULL;
  g_autofree char *config_dirs = NULL;

  scratch = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (scratch);
  config_home = g_build_filename (scratch, "config", NULL);
  config_dirs = g_build_filename (scratch, "xdg", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_setenv ("MYCROFT_SYSTEM_CONFIG", "/nonexistent/mycroft.conf", TRUE);
  g_setenv ("OVOS_DISTRIBUTION_CONFIG", "/nonexistent/mycroft.conf", TRUE);
  g_unsetenv ("HOST_XDG_CONFIG_HOME");
}

static void
remove_scratch (void)
{
  g_autofree char *mycroft = g_build_filename (scratch, "config", "mycroft", NULL);
  g_autofree char *config = g_build_filename (scratch, "config", NULL);

  g_rmdir (mycroft);
  g_rmdir (config);
  g_rmdir (scratch);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ows_fuzz_init_logging ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  isolate_config ();
  atexit (remove_scratch);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *end = text + size;
  Fuzz fuzz = { NULL };

  fuzz_init (&fuzz);
  for (const char *line = text; line < end;)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline ? newline : end;

      if (line_end > line)
        run_line (&fuzz, line, line_end - line);
      line = line_end + 1;
    }
  fuzz_clear (&fuzz);
  return 0;
}
