/* test-config.c: the mycroft.conf layers, overrides and persisting (PROTOCOL.md section 6).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "ows-config.h"
#include "ows-test-peer.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define PLUGIN OWS_CONFIG_PLUGIN_SECTION
#define MIB    (1024 * 1024)
#define DOMAIN "ows-config"

/* Every path the code reads points into a scratch directory, so the machine's
 * own mycroft.conf never leaks into a result. */
typedef struct
{
  char *scratch;
  char *user;          /* $XDG_CONFIG_HOME/mycroft/mycroft.conf */
  char *web_cache;
  char *distribution;
  char *system;
  char *xdg_first;     /* first $XDG_CONFIG_DIRS entry's mycroft.conf */
  char *xdg_last;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *xdg_first = NULL;
  g_autofree char *xdg_last = NULL;
  g_autofree char *dirs = NULL;

  fixture->scratch = g_dir_make_tmp ("ows-config-XXXXXX", &error);
  g_assert_no_error (error);

  config_home = g_build_filename (fixture->scratch, "config", NULL);
  xdg_first = g_build_filename (fixture->scratch, "xdg-first", NULL);
  xdg_last = g_build_filename (fixture->scratch, "xdg-last", NULL);
  /* The empty entry must be skipped, not read as the current directory. */
  dirs = g_strdup_printf ("%s::%s", xdg_first, xdg_last);

  fixture->user = g_build_filename (config_home, "mycroft", "mycroft.conf", NULL);
  fixture->web_cache = g_build_filename (config_home, "mycroft", "web_cache.json", NULL);
  fixture->distribution = g_build_filename (fixture->scratch, "share", "mycroft.conf", NULL);
  fixture->system = g_build_filename (fixture->scratch, "etc", "mycroft.conf", NULL);
  fixture->xdg_first = g_build_filename (xdg_first, "mycroft", "mycroft.conf", NULL);
  fixture->xdg_last = g_build_filename (xdg_last, "mycroft", "mycroft.conf", NULL);

  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", dirs, TRUE);
  g_setenv ("OVOS_DISTRIBUTION_CONFIG", fixture->distribution, TRUE);
  g_setenv ("MYCROFT_SYSTEM_CONFIG", fixture->system, TRUE);
  g_unsetenv ("HOST_XDG_CONFIG_HOME");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ows_test_remove_tree (fixture->scratch);
  g_free (fixture->scratch);
  g_free (fixture->user);
  g_free (fixture->web_cache);
  g_free (fixture->distribution);
  g_free (fixture->system);
  g_free (fixture->xdg_first);
  g_free (fixture->xdg_last);
}

static OwsConfig *
load_config (void)
{
  OwsConfig *config = ows_config_new ();

  ows_config_load (config);
  return config;
}

static JsonNode *
parse_node (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_defaults (OwsConfig *config)
{
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "host", NULL), ==, "127.0.0.1");
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 8181);
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "route", NULL), ==, "/core");
  g_assert_false (ows_config_get_boolean (config, "websocket", "ssl", TRUE));
  g_assert_cmpint (ows_config_get_int (config, "websocket", "max_msg_size", 0), ==, 25);
  g_assert_cmpstr (ows_config_get_string (config, "network_tests", "captive_portal_url", NULL),
                   ==, "http://nmcheck.gnome.org/check_network_status.txt");
  g_assert_cmpstr (ows_config_get_string (config, "network_tests", "captive_portal_text", NULL),
                   ==, "NetworkManager is online");
  g_assert_cmpstr (ows_config_get_string (config, "network_tests", "web_url", NULL),
                   ==, "https://www.google.com");
  g_assert_cmpstr (ows_config_get_string (config, "network_tests", "web_url_secondary", NULL),
                   ==, "https://www.cloudflare.com");
  g_assert_true (ows_config_get_boolean (config, PLUGIN, "first_boot", FALSE));
  g_assert_true (ows_config_get_boolean (config, PLUGIN, "enable_watchdog", FALSE));
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 45);
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "time_between_checks", 0), ==, 30);
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OwsConfig) config = ows_config_new ();
  g_autofree char *url = NULL;

  /* Before any load, and after a load that finds no file at all. */
  assert_defaults (config);
  ows_config_load (config);
  assert_defaults (config);

  url = ows_config_dup_bus_url (config);
  g_assert_cmpstr (url, ==, "ws://127.0.0.1:8181/core");
  g_assert_cmpuint (ows_config_get_max_msg_size (config), ==, 25 * MIB);
  g_assert_cmpstr (ows_config_get_user_path (config), ==, fixture->user);

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_layer_order (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;

  /* Key "to_X" is set in every layer up to X, so X must win. */
  ows_test_write_text (fixture->web_cache,
              "{\"websocket\": {\"port\": 1111, \"host\": \"backend\"},"
              " \"order\": {\"all\": \"cache\", \"to_xdg_last\": \"cache\", \"to_user\": \"cache\","
              " \"to_system\": \"cache\", \"to_distribution\": \"cache\", \"to_cache\": \"cache\"}}");
  ows_test_write_text (fixture->distribution,
              "{\"order\": {\"all\": \"distribution\", \"to_xdg_last\": \"distribution\","
              " \"to_user\": \"distribution\", \"to_system\": \"distribution\","
              " \"to_distribution\": \"distribution\"}}");
  ows_test_write_text (fixture->system,
              "{\"websocket\": {\"port\": 2222},"
              " \"order\": {\"all\": \"system\", \"to_xdg_last\": \"system\", \"to_user\": \"system\","
              " \"to_system\": \"system\"}}");
  ows_test_write_text (fixture->user,
              "{\"order\": {\"all\": \"user\", \"to_xdg_last\": \"user\", \"to_user\": \"user\"}}");
  ows_test_write_text (fixture->xdg_last,
              "{\"order\": {\"all\": \"xdg_last\", \"to_xdg_last\": \"xdg_last\"}}");
  ows_test_write_text (fixture->xdg_first,
              "{\"order\": {\"all\": \"xdg_first\"}}");

  config = load_config ();
  g_assert_cmpstr (ows_config_get_string (config, "order", "all", NULL), ==, "xdg_first");
  g_assert_cmpstr (ows_config_get_string (config, "order", "to_xdg_last", NULL), ==, "xdg_last");
  g_assert_cmpstr (ows_config_get_string (config, "order", "to_user", NULL), ==, "user");
  g_assert_cmpstr (ows_config_get_string (config, "order", "to_system", NULL), ==, "system");
  g_assert_cmpstr (ows_config_get_string (config, "order", "to_distribution", NULL),
                   ==, "distribution");
  g_assert_cmpstr (ows_config_get_string (config, "order", "to_cache", NULL), ==, "cache");

  /* The web cache's websocket section never counts. */
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 2222);
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "host", NULL), ==, "127.0.0.1");

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_deep_merge (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  JsonNode *node;

  ows_test_write_text (fixture->system,
              "{\"websocket\": {\"port\": 9000},"
              " \"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 10},"
              "            \"other-plugin\": {\"enabled\": true}},"
              " \"list\": [1, 2, 3],"
              " \"lang\": \"en-us\"}");
  ows_test_write_text (fixture->user,
              "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"enable_watchdog\": false}},"
              " \"list\": [4]}");

  config = load_config ();
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 9000);
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "host", NULL), ==, "127.0.0.1");
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "route", NULL), ==, "/core");
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 10);
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "enable_watchdog", TRUE));
  g_assert_true (ows_config_get_boolean (config, PLUGIN, "first_boot", FALSE));
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "time_between_checks", 0), ==, 30);
  g_assert_true (ows_config_get_boolean (config, "PHAL/other-plugin", "enabled", FALSE));
  g_assert_cmpstr (ows_config_get_string (config, NULL, "lang", NULL), ==, "en-us");

  /* Arrays are values: replaced, not merged. */
  node = ows_config_lookup (config, NULL, "list");
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_comments (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;

  ows_test_write_text (fixture->user,
              "// a comment line\n"
              "# another one\n"
              "{\n"
              "    // indented, with a \"quote\" and a brace {\n"
              "\t# indented with a tab\n"
              "  \"network_tests\": {\n"
              "    \"web_url\": \"http://x//y\",\n"
              "    \"captive_portal_text\": \"# not a comment\"\n"
              "  }\n"
              "}\n"
              "// trailing");

  config = load_config ();
  g_assert_cmpstr (ows_config_get_string (config, "network_tests", "web_url", NULL),
                   ==, "http://x//y");
  g_assert_cmpstr (ows_config_get_string (config, "network_tests", "captive_portal_text", NULL),
                   ==, "# not a comment");

  g_assert_finalize_object (g_steal_pointer (&config));
}

typedef struct
{
  const char *distribution;
  const char *system;
  const char *web_cache;
  gboolean    user_skipped;
} DisableCase;

static void
test_disable_user_config (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char on[] = "{\"system\": {\"disable_user_config\": true}}";
  static const char off[] = "{\"system\": {\"disable_user_config\": false}}";
  static const DisableCase cases[] = {
    { NULL, NULL, NULL, FALSE },
    { NULL, on, NULL, TRUE },
    { on, NULL, NULL, TRUE },
    { on, off, NULL, FALSE },
    { off, on, NULL, TRUE },
    /* Remote settings cannot lock the user out. */
    { NULL, NULL, on, FALSE },
    /* Only a JSON boolean counts. */
    { NULL, "{\"system\": {\"disable_user_config\": \"true\"}}", NULL, FALSE },
  };

  ows_test_write_text (fixture->user, "{\"probe\": {\"user\": true}}");
  ows_test_write_text (fixture->xdg_first, "{\"probe\": {\"xdg\": true}}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DisableCase *c = &cases[i];
      g_autoptr(OwsConfig) config = NULL;

      g_test_message ("case %u", i);
      g_unlink (fixture->distribution);
      g_unlink (fixture->system);
      g_unlink (fixture->web_cache);
      if (c->distribution != NULL)
        ows_test_write_text (fixture->distribution, c->distribution);
      if (c->system != NULL)
        ows_test_write_text (fixture->system, c->system);
      if (c->web_cache != NULL)
        ows_test_write_text (fixture->web_cache, c->web_cache);

      config = load_config ();
      g_assert_cmpint (ows_config_get_boolean (config, "probe", "user", FALSE), ==, !c->user_skipped);
      g_assert_cmpint (ows_config_get_boolean (config, "probe", "xdg", FALSE), ==, !c->user_skipped);
      g_assert_finalize_object (g_steal_pointer (&config));
    }
}

static void
test_corrupt_layer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autofree char *pattern = NULL;

  ows_test_write_text (fixture->distribution,
              "// the comment keeps line numbers honest\n"
              "{\n"
              "  \"websocket\": {\"port\": 1},\n"
              "  \"broken\": oops\n"
              "}\n");
  ows_test_write_text (fixture->system, "{\"websocket\": {\"host\": \"bus.local\"}}");
  ows_test_write_text (fixture->user, "{\"websocket\": {\"route\": \"/user\"}}");

  /* Exactly one warning (any other is fatal in a test), naming file and line. */
  pattern = g_strdup_printf ("Ignoring %s: line 4: *", fixture->distribution);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, pattern);
  config = load_config ();
  g_test_assert_expected_messages ();

  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 8181);
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "host", NULL), ==, "bus.local");
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "route", NULL), ==, "/user");
  g_assert_finalize_object (g_steal_pointer (&config));

  /* Valid JSON that is not an object is no configuration either. */
  ows_test_write_text (fixture->distribution, "[1, 2]");
  g_free (pattern);
  pattern = g_strdup_printf ("Ignoring %s: *not a JSON object*", fixture->distribution);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, pattern);
  config = load_config ();
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "host", NULL), ==, "bus.local");

  /* An empty or all-comment file is not an error. */
  ows_test_write_text (fixture->distribution, "// nothing here yet\n\n");
  ows_config_load (config);
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "route", NULL), ==, "/user");
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_env_paths (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autofree char *other_home = g_build_filename (fixture->scratch, "other", NULL);
  g_autofree char *other_user = g_build_filename (other_home, "mycroft", "mycroft.conf", NULL);
  g_autofree char *fallback = NULL;

  ows_test_write_text (fixture->user, "{\"probe\": \"first\"}");
  ows_test_write_text (other_user, "{\"probe\": \"second\"}");

  config = load_config ();
  g_assert_cmpstr (ows_config_get_string (config, NULL, "probe", NULL), ==, "first");

  /* Each load sees the environment as it is now. */
  g_setenv ("XDG_CONFIG_HOME", other_home, TRUE);
  ows_config_load (config);
  g_assert_cmpstr (ows_config_get_user_path (config), ==, other_user);
  g_assert_cmpstr (ows_config_get_string (config, NULL, "probe", NULL), ==, "second");
  g_assert_finalize_object (g_steal_pointer (&config));

  /* Unset or relative (invalid per the XDG spec): ~/.config. Not loaded, so
   * the machine's own file is never read. */
  fallback = g_build_filename (g_get_home_dir (), ".config", "mycroft", "mycroft.conf", NULL);
  g_unsetenv ("XDG_CONFIG_HOME");
  config = ows_config_new ();
  g_assert_cmpstr (ows_config_get_user_path (config), ==, fallback);
  g_assert_finalize_object (g_steal_pointer (&config));
  g_setenv ("XDG_CONFIG_HOME", "relative/dir", TRUE);
  config = ows_config_new ();
  g_assert_cmpstr (ows_config_get_user_path (config), ==, fallback);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_override (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OwsConfig) config = ows_config_new ();
  g_autoptr(JsonNode) port = parse_node ("4242");
  g_autoptr(JsonNode) flag = parse_node ("false");
  g_autoptr(JsonNode) persisted = parse_node ("9999");
  g_autoptr(GError) error = NULL;
  const char *host;

  ows_test_write_text (fixture->user, "{\"websocket\": {\"port\": 1234, \"host\": \"user.local\"}}");
  ows_test_write_text (fixture->xdg_first, "{\"websocket\": {\"port\": 5678}}");

  ows_config_override (config, "websocket", "port", port);
  ows_config_override (config, "new/section", "flag", flag);
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 4242);

  ows_config_load (config);
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 4242);
  g_assert_false (ows_config_get_boolean (config, "new/section", "flag", TRUE));
  g_assert_cmpstr (ows_config_get_string (config, "websocket", "host", NULL), ==, "user.local");

  /* A persisted value reaches the file but not the view while overridden;
   * other borrowed strings stay valid across the change. */
  host = ows_config_get_string (config, "websocket", "host", NULL);
  g_assert_true (ows_config_persist (config, "websocket", "port", persisted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 4242);
  g_assert_cmpstr (host, ==, "user.local");
  ows_config_load (config);
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 4242);

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_getters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  JsonNode *node;

  ows_test_write_text (fixture->user,
              "{\"t\": {\"int\": 7, \"double\": 2.9, \"neg\": -2.9, \"huge\": 1e300,"
              " \"bool\": true, \"string\": \"s\", \"null\": null, \"obj\": {\"x\": 1}}}");
  config = load_config ();

  g_assert_cmpint (ows_config_get_int (config, "t", "int", -1), ==, 7);
  g_assert_cmpint (ows_config_get_int (config, "t", "double", -1), ==, 2);
  g_assert_cmpint (ows_config_get_int (config, "t", "neg", -1), ==, -2);
  g_assert_cmpint (ows_config_get_int (config, "t", "huge", -1), ==, -1);
  g_assert_cmpint (ows_config_get_int (config, "t", "bool", -1), ==, -1);
  g_assert_cmpint (ows_config_get_int (config, "t", "string", -1), ==, -1);
  g_assert_cmpint (ows_config_get_int (config, "t", "null", -1), ==, -1);
  g_assert_cmpint (ows_config_get_int (config, "t", "obj", -1), ==, -1);
  g_assert_cmpint (ows_config_get_int (config, "t", "missing", -1), ==, -1);
  g_assert_cmpint (ows_config_get_int (config, "nowhere/deep", "int", -1), ==, -1);

  g_assert_cmpfloat (ows_config_get_double (config, "t", "double", 0), ==, 2.9);
  g_assert_cmpfloat (ows_config_get_double (config, "t", "int", 0), ==, 7.0);
  g_assert_cmpfloat (ows_config_get_double (config, "t", "string", -1), ==, -1);

  g_assert_true (ows_config_get_boolean (config, "t", "bool", FALSE));
  g_assert_true (ows_config_get_boolean (config, "t", "int", TRUE));
  g_assert_false (ows_config_get_boolean (config, "t", "string", FALSE));

  g_assert_cmpstr (ows_config_get_string (config, "t", "string", NULL), ==, "s");
  g_assert_cmpstr (ows_config_get_string (config, "t", "int", "fb"), ==, "fb");
  g_assert_cmpstr (ows_config_get_string (config, "t", "null", "fb"), ==, "fb");
  g_assert_cmpstr (ows_config_get_string (config, "t/int", "x", "fb"), ==, "fb");

  /* Sections are paths; a NULL key is the section itself. */
  g_assert_cmpint (ows_config_get_int (config, "t/obj", "x", 0), ==, 1);
  g_assert_cmpint (ows_config_get_int (config, "/t//obj/", "x", 0), ==, 1);
  node = ows_config_lookup (config, "t", "obj");
  g_assert_true (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (ows_config_lookup (config, "t/obj", NULL) == node);
  node = ows_config_lookup (config, NULL, "t");
  g_assert_true (json_node_get_object (node) ==
                 json_object_get_object_member (ows_config_get_root (config), "t"));
  g_assert_null (ows_config_lookup (config, "t", "missing"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (ows_config_lookup (config, NULL, NULL)));

  g_assert_finalize_object (g_steal_pointer (&config));
}

typedef struct
{
  const char *websocket;
  const char *url;
} UrlCase;

static void
test_bus_url (Fixture       *fixture,
              gconstpointer  data)
{
  static const UrlCase cases[] = {
    { "{}", "ws://127.0.0.1:8181/core" },
    { "{\"ssl\": true}", "wss://127.0.0.1:8181/core" },
    { "{\"host\": \"bus.local\", \"port\": 9000, \"route\": \"bus\"}", "ws://bus.local:9000/bus" },
    { "{\"route\": \"/a/b\"}", "ws://127.0.0.1:8181/a/b" },
    { "{\"host\": \"::1\", \"ssl\": true}", "wss://[::1]:8181/core" },
    { "{\"host\": \"[fe80::1]\"}", "ws://[fe80::1]:8181/core" },
    { "{\"host\": \"\", \"port\": 70000}", "ws://127.0.0.1:8181/core" },
    { "{\"port\": 8000.0, \"ssl\": \"yes\"}", "ws://127.0.0.1:8000/core" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"websocket\": %s}", cases[i].websocket);
      g_autoptr(OwsConfig) config = NULL;
      g_autofree char *url = NULL;

      ows_test_write_text (fixture->system, text);
      config = load_config ();
      url = ows_config_dup_bus_url (config);
      g_assert_cmpstr (url, ==, cases[i].url);
      g_assert_finalize_object (g_steal_pointer (&config));
    }
}

typedef struct
{
  const char *value;
  gsize       bytes;
} SizeCase;

static void
test_max_msg_size (Fixture       *fixture,
                   gconstpointer  data)
{
  static const SizeCase cases[] = {
    { NULL, 25 * MIB },
    { "25", 25 * MIB },
    { "10", 10 * MIB },
    { "0.5", MIB / 2 },
    { "100.25", 100 * MIB + MIB / 4 },
    { "0", 25 * MIB },
    { "-3", 25 * MIB },
    { "\"big\"", 25 * MIB },
    { "true", 25 * MIB },
    { "null", 25 * MIB },
    { "{}", 25 * MIB },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OwsConfig) config = NULL;
      g_autofree char *text = NULL;

      /* NULL: no file says anything, the built-in default applies. */
      text = cases[i].value != NULL
             ? g_strdup_printf ("{\"websocket\": {\"max_msg_size\": %s}}", cases[i].value)
             : g_strdup ("{}");
      ows_test_write_text (fixture->system, text);
      config = load_config ();
      g_assert_cmpuint (ows_config_get_max_msg_size (config), ==, cases[i].bytes);
      g_assert_finalize_object (g_steal_pointer (&config));
    }
}

/* As OVOS reads it: comment lines dropped, the rest strict JSON. */
static JsonObject *
parse_file (const char *path)
{
  g_autofree char *text = ows_test_read_text (path);
  g_autoptr(JsonNode) root = ows_test_parse_config_text (text);

  return json_object_ref (json_node_get_object (root));
}

/* Whether @dir holds anything but the user file (a temporary file left behind). */
static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (handle == NULL)
    return 0;
  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_persist_new_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OwsConfig) config = load_config ();
  g_autoptr(JsonNode) value = parse_node ("false");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) written = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->user);
  g_autofree char *text = NULL;
  JsonObject *plugin;
  struct stat st;

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
  g_assert_no_error (error);
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));

  written = parse_file (fixture->user);
  plugin = json_object_get_object_member (json_object_get_object_member (written, "PHAL"),
                                          "ovos-PHAL-plugin-wifi-setup");
  g_assert_nonnull (plugin);
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  g_assert_cmpuint (json_object_get_size (plugin), ==, 1);
  g_assert_cmpuint (json_object_get_size (written), ==, 1);

  /* Pretty, two-space indented, newline-terminated, readable by others. */
  text = ows_test_read_text (fixture->user);
  g_assert_true (g_str_has_prefix (text, "{\n  \"PHAL\""));
  g_assert_true (g_str_has_suffix (text, "}\n"));
  g_assert_cmpint (g_stat (fixture->user, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_persist_keeps_keys (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) value = parse_node ("false");
  g_autoptr(JsonNode) deep = parse_node ("{\"a\": [1, 2], \"b\": {\"c\": null}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) written = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *plugin;
  struct stat st;

  ows_test_write_text (fixture->user,
              "// my settings\n"
              "{\n"
              "  \"lang\": \"de-de\",\n"
              "  \"websocket\": {\"host\": \"10.0.0.2\", \"port\": 8182},\n"
              "  \"PHAL\": {\n"
              "    \"other-plugin\": {\"enabled\": false, \"list\": [1, {\"x\": \"y\"}]},\n"
              "    \"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 60, \"first_boot\": true}\n"
              "  },\n"
              "  \"skills\": 3\n"
              "}\n");
  g_assert_cmpint (g_chmod (fixture->user, 0600), ==, 0);
  config = load_config ();

  g_assert_true (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
  g_assert_no_error (error);
  /* A non-object in the way is replaced, as OVOS does. */
  g_assert_true (ows_config_persist (config, "skills/nested", "deep", deep, &error));
  g_assert_no_error (error);

  written = parse_file (fixture->user);
  root = json_node_init_object (json_node_alloc (), written);
  /* Patched in place: the user's comment stays. */
  {
    g_autofree char *text = ows_test_read_text (fixture->user);

    g_assert_true (g_str_has_prefix (text, "// my settings\n{\n  \"lang\": \"de-de\",\n"));
  }
  g_assert_cmpstr (json_object_get_string_member (written, "lang"), ==, "de-de");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (written, "websocket"),
                                                  "host"), ==, "10.0.0.2");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (written, "websocket"),
                                               "port"), ==, 8182);
  plugin = json_object_get_object_member (json_object_get_object_member (written, "PHAL"),
                                          "other-plugin");
  g_assert_false (json_object_get_boolean_member (plugin, "enabled"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (plugin, "list")), ==, 2);
  plugin = json_object_get_object_member (json_object_get_object_member (written, "PHAL"),
                                          "ovos-PHAL-plugin-wifi-setup");
  g_assert_cmpint (json_object_get_int_member (plugin, "grace_period"), ==, 60);
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  g_assert_true (json_node_equal (json_object_get_member (
                                    json_object_get_object_member (
                                      json_object_get_object_member (written, "skills"), "nested"),
                                    "deep"), deep));

  /* The file's own permissions survive the replacement. */
  g_assert_cmpint (g_stat (fixture->user, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The in-memory view merged the persisted object as a value. */
  g_assert_true (ows_config_lookup (config, "skills/nested/deep", "b") != NULL);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_persist_unchanged (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) value = parse_node ("45");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  static const char contents[] =
    "# hand-written, with a comment that a rewrite would lose\n"
    "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 45}}}\n";
  struct stat before, after;

  ows_test_write_text (fixture->user, contents);
  g_assert_cmpint (g_stat (fixture->user, &before), ==, 0);
  config = load_config ();

  g_assert_true (ows_config_persist (config, PLUGIN, "grace_period", value, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (fixture->user, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_cmpint (before.st_mtim.tv_sec, ==, after.st_mtim.tv_sec);
  g_assert_cmpint (before.st_mtim.tv_nsec, ==, after.st_mtim.tv_nsec);
  text = ows_test_read_text (fixture->user);
  g_assert_cmpstr (text, ==, contents);

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_persist_corrupt (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) value = parse_node ("false");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pattern = NULL;
  static const char contents[] = "{\n  \"lang\": \"en-us\",\n  \"x\": oops\n}\n";

  ows_test_write_text (fixture->user, contents);
  pattern = g_strdup_printf ("Ignoring %s: line 3: *", fixture->user);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, pattern);
  config = load_config ();
  g_test_assert_expected_messages ();

  g_assert_false (ows_config_persist (config, PLUGIN, "enable_watchdog", value, &error));
  g_assert_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->user));

  text = ows_test_read_text (fixture->user);
  g_assert_cmpstr (text, ==, contents);
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "enable_watchdog", TRUE));

  /* Still in memory after a reload, since it never reached the file. */
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, pattern);
  ows_config_load (config);
  g_test_assert_expected_messages ();
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "enable_watchdog", TRUE));

  g_assert_finalize_object (g_steal_pointer (&config));
}

typedef struct
{
  const char *name;
  const char *bytes;
  gsize       length;  /* 0: strlen (bytes) */
} UnreadableCase;

/* OVOS's own reader (tests/ovos-read-config.py, Python's json.loads), where
 * python3 is installed: the judge of what "OVOS cannot read" means. */
static gboolean
python_can_tell (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");

  if (python == NULL)
    g_test_message ("python3 is not installed: OVOS's own reader is not asked");
  return python != NULL;
}

/* @argv: "python3", NULL (the script goes there), its arguments. */
static gboolean
run_reader (const char **argv)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "ovos-read-config.py", NULL);
  g_autoptr(GError) error = NULL;
  int status;

  argv[1] = script;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static gboolean
ovos_reads (const char *path)
{
  const char *argv[] = { "python3", NULL, path, NULL };

  return run_reader (argv);
}

/* json-glib reads several of these, Python's json.loads (and so OVOS) none
 * but NaN and Infinity, which json-glib could not carry through a rewrite:
 * a persist must leave every one of them byte for byte as it is. */
static void
test_persist_unreadable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->user);
  static const char nul_first[] = "\0{\"lang\": \"de-de\"}\n";
  static const char nul_after[] = "{\"lang\": \"de-de\"}\n\0\0\0\0";
  static const UnreadableCase cases[] = {
    { "nul-first", nul_first, sizeof nul_first - 1 },
    { "nul-after", nul_after, sizeof nul_after - 1 },
    { "zeros", NULL, 4096 },
    { "binary", "\x7f" "ELF\x02\x01\x01\xff\xfe{}", 0 },
    { "bad-utf8", "{\"lang\": \"\xc3\x28\"}", 0 },
    { "bom", "\xef\xbb\xbf{\"lang\": \"de-de\"}\n", 0 },
    { "block-comment", "{/* mine */ \"lang\": \"de-de\"}\n", 0 },
    { "single-quoted-value", "{\"lang\": 'de-de'}\n", 0 },
    { "single-quoted-key", "{'lang': \"de-de\"}\n", 0 },
    { "trailing-comma", "{\"lang\": \"de-de\",}\n", 0 },
    { "trailing-comma-array", "{\"list\": [1, 2,]}\n", 0 },
    /* Python reads these two; we refuse them rather than lose them. */
    { "nan", "{\"x\": NaN}\n", 0 },
    { "infinity", "{\"x\": -Infinity}\n", 0 },
    { "leading-zero", "{\"x\": 012}\n", 0 },
    { "bare-fraction", "{\"x\": .5}\n", 0 },
    { "hex", "{\"x\": 0x10}\n", 0 },
    { "tab-in-string", "{\"x\": \"a\tb\"}\n", 0 },
    { "bad-escape", "{\"x\": \"\\x41\"}\n", 0 },
    { "trailing-text", "{\"x\": 1} junk\n", 0 },
    { "two-values", "{\"x\": 1}\n{\"y\": 2}\n", 0 },
    { "unquoted-key", "{lang: \"de-de\"}\n", 0 },
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OwsConfig) config = load_config ();
      g_autoptr(JsonNode) value = parse_node ("false");
      g_autoptr(GError) error = NULL;
      g_autofree char *zeros = g_malloc0 (4096);
      g_autofree char *after = NULL;
      const char *bytes = cases[i].bytes != NULL ? cases[i].bytes : zeros;
      gsize length = cases[i].length != 0 ? cases[i].length : strlen (bytes);
      gsize after_length;

      g_test_message ("case %s", cases[i].name);
      /* Written after the load, which need not have an opinion on it. */
      g_file_set_contents (fixture->user, bytes, length, &error);
      g_assert_no_error (error);
      /* What OVOS itself makes of it: refused, but for the two it reads. */
      if (python_can_tell ())
        g_assert_cmpint (ovos_reads (fixture->user), ==,
                         g_str_equal (cases[i].name, "nan") || g_str_equal (cases[i].name, "infinity"));

      g_assert_false (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
      g_assert_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT);
      g_assert_nonnull (strstr (error->message, fixture->user));

      g_assert_true (g_file_get_contents (fixture->user, &after, &after_length, NULL));
      g_assert_cmpmem (after, after_length, bytes, length);
      g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));
      g_assert_finalize_object (g_steal_pointer (&config));
      g_assert_cmpint (g_unlink (fixture->user), ==, 0);
    }
}

/* Only the persisted values' text changes: integers beyond 64 bits, the
 * text of floats, escapes, order, spacing and comments stay as written. */
static void
test_persist_keeps_text (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) sixty = parse_node ("60");
  g_autoptr(JsonNode) no = parse_node ("false");
  g_autoptr(JsonNode) name = parse_node ("\"caf\\u00e9\"");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  static const char before[] =
    "// mine\n"
    "{\n"
    "  \"big\": 12345678901234567890,\n"
    "  \"neg\": -98765432109876543210,\n"
    "  \"f\": 0.1, \"e\": 1.5E-7, \"huge\": 1e400, \"zero\": -0.0,\n"
    "  \"u\": \"caf\\u00e9 \\ud83d\\ude00 \\/\",\n"
    "  \"dup\": 1, \"dup\": 2,\n"
    "  \"nested\": {\"a\": {\"b\": [1, 2.50, {\"c\": 18446744073709551616}]}},\n"
    "  \"PH\\u0041L\": {\n"
    "    \"other\": {\"x\": 1.10},\n"
    "    \"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 45, \"n\": 1e2}\n"
    "  },\n"
    "  \"skills\": {}\n"
    "}\n";
  static const char expected[] =
    "// mine\n"
    "{\n"
    "  \"big\": 12345678901234567890,\n"
    "  \"neg\": -98765432109876543210,\n"
    "  \"f\": 0.1, \"e\": 1.5E-7, \"huge\": 1e400, \"zero\": -0.0,\n"
    "  \"u\": \"caf\\u00e9 \\ud83d\\ude00 \\/\",\n"
    "  \"dup\": 1, \"dup\": 2,\n"
    "  \"nested\": {\"a\": {\"b\": [1, 2.50, {\"c\": 18446744073709551616}]}},\n"
    "  \"PH\\u0041L\": {\n"
    "    \"other\": {\"x\": 1.10},\n"
    "    \"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 60, \"n\": 1e2, \"first_boot\": false}\n"
    "  },\n"
    "  \"skills\": {\"name\": \"caf\xc3\xa9\"},\n"
    "  \"lang\": {\"x\": \"caf\xc3\xa9\"}\n"
    "}\n";

  ows_test_write_text (fixture->user, before);
  config = load_config ();

  g_assert_true (ows_config_persist (config, PLUGIN, "grace_period", sixty, &error));
  g_assert_no_error (error);
  g_assert_true (ows_config_persist (config, PLUGIN, "first_boot", no, &error));
  g_assert_no_error (error);
  g_assert_true (ows_config_persist (config, "skills", "name", name, &error));
  g_assert_no_error (error);
  g_assert_true (ows_config_persist (config, "lang", "x", name, &error));
  g_assert_no_error (error);

  text = ows_test_read_text (fixture->user);
  g_assert_cmpstr (text, ==, expected);
  /* And OVOS reads every value we do not own as it was. */
  if (python_can_tell ())
    {
      g_autofree char *copy = g_build_filename (fixture->scratch, "before.conf", NULL);
      const char *argv[] = { "python3", NULL, "--same-except", copy, fixture->user,
                             "PHAL/ovos-PHAL-plugin-wifi-setup/grace_period",
                             "PHAL/ovos-PHAL-plugin-wifi-setup/first_boot",
                             "skills/name", "lang", NULL };

      ows_test_write_text (copy, before);
      g_assert_true (run_reader (argv));
    }
  g_assert_finalize_object (g_steal_pointer (&config));
}

/* A user file that is a symbolic link stays one: the write replaces the
 * file it names, created if the link dangles. */
static void
test_persist_symlink (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->user);
  g_autofree char *elsewhere = g_build_filename (fixture->scratch, "elsewhere", NULL);
  g_autofree char *target = g_build_filename (elsewhere, "real.conf", NULL);
  g_autofree char *dangling = g_build_filename (fixture->scratch, "not-yet", "new.conf", NULL);
  const char *relative = "../../not-yet/new.conf";
  static const char *const links[] = { "absolute", "dangling" };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (elsewhere, 0700), ==, 0);
  ows_test_write_text (target, "{\"lang\": \"de-de\"}\n");

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(OwsConfig) config = NULL;
      g_autoptr(JsonNode) value = parse_node ("false");
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) written = NULL;
      g_autofree char *link = NULL;
      const char *file = i == 0 ? target : dangling;

      g_test_message ("case %s", links[i]);
      g_assert_cmpint (symlink (i == 0 ? target : relative, fixture->user), ==, 0);
      config = load_config ();
      g_assert_true (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
      g_assert_no_error (error);

      link = g_file_read_link (fixture->user, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (link, ==, i == 0 ? target : relative);
      written = parse_file (file);
      g_assert_false (json_object_get_boolean_member (
                        json_object_get_object_member (
                          json_object_get_object_member (written, "PHAL"),
                          "ovos-PHAL-plugin-wifi-setup"),
                        "first_boot"));
      if (i == 0)
        g_assert_cmpstr (json_object_get_string_member (written, "lang"), ==, "de-de");
      /* No temporary file left beside the link. */
      g_assert_cmpuint (count_entries (dir), ==, 1);
      g_assert_finalize_object (g_steal_pointer (&config));
      g_assert_cmpint (g_unlink (fixture->user), ==, 0);
    }
}

/* Temporary files writers left behind when killed go with the next write;
 * one newer than this process may be a live writer's and stays. */
static void
test_persist_stale_temporaries (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) value = parse_node ("false");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->user);
  g_autofree char *stale = g_build_filename (dir, ".mycroft.conf.Ab12Cd", NULL);
  g_autofree char *fresh = g_build_filename (dir, ".mycroft.conf.Xy34Zw", NULL);
  static const char *const unrelated[] = {
    ".mycroft.conf.Ab12C", ".mycroft.conf.Ab12Cde", ".other.conf.Ab12Cd", "mycroft.conf.Ab12Cd",
  };
  struct utimbuf old = { 0, };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  ows_test_write_text (fixture->user, "{}\n");
  old.actime = old.modtime = time (NULL) - 3600;
  ows_test_write_text (stale, "{\"half");
  g_assert_cmpint (g_utime (stale, &old), ==, 0);
  ows_test_write_text (fresh, "{\"half");
  for (guint i = 0; i < G_N_ELEMENTS (unrelated); i++)
    {
      g_autofree char *path = g_build_filename (dir, unrelated[i], NULL);

      ows_test_write_text (path, "x");
      g_assert_cmpint (g_utime (path, &old), ==, 0);
    }

  config = load_config ();
  g_assert_true (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
  g_assert_no_error (error);

  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (unrelated); i++)
    {
      g_autofree char *path = g_build_filename (dir, unrelated[i], NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpuint (count_entries (dir), ==, 2 + G_N_ELEMENTS (unrelated));
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
assert_write_failed (OwsConfig  *config,
                     const char *user_path)
{
  g_autoptr(JsonNode) value = parse_node ("false");
  g_autoptr(GError) error = NULL;

  g_assert_false (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
  g_assert_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, user_path));
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));

  ows_config_load (config);
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));
}

static void
test_persist_unwritable_dir (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->user);
  g_autofree char *text = NULL;
  static const char contents[] = "{\"lang\": \"en-us\"}";

  ows_test_write_text (fixture->user, contents);
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  if (access (dir, W_OK) == 0)
    {
      g_test_skip ("a 0500 directory is writable here (running as root)");
      return;
    }

  config = load_config ();
  assert_write_failed (config, fixture->user);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  text = ows_test_read_text (fixture->user);
  g_assert_cmpstr (text, ==, contents);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_persist_parent_is_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autofree char *config_home = g_build_filename (fixture->scratch, "config", NULL);
  g_autofree char *blocker = g_build_filename (config_home, "mycroft", NULL);

  /* A regular file where the directory should be stops root as well. */
  ows_test_write_text (blocker, "not a directory");
  config = load_config ();
  assert_write_failed (config, fixture->user);
  g_assert_cmpuint (count_entries (config_home), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_persist_reload (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(OwsConfig) other = NULL;
  g_autoptr(JsonNode) value = parse_node ("12");
  g_autoptr(GError) error = NULL;

  ows_test_write_text (fixture->system, "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 5}}}");
  config = load_config ();
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 5);

  g_assert_true (ows_config_persist (config, PLUGIN, "grace_period", value, &error));
  g_assert_no_error (error);
  ows_config_load (config);
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 12);

  /* It came from the file: a fresh reader sees it too. */
  other = load_config ();
  g_assert_cmpint (ows_config_get_int (other, PLUGIN, "grace_period", 0), ==, 12);

  /* Once written, the file is the truth again: an edit there wins on reload. */
  ows_test_write_text (fixture->user, "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 7}}}");
  ows_config_load (config);
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 7);

  g_assert_finalize_object (g_steal_pointer (&config));
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* A Flatpak: the host's /etc under the host root, the host's config home from
 * HOST_XDG_CONFIG_HOME; the sandbox's own XDG_CONFIG_HOME and XDG_CONFIG_DIRS
 * are not OVOS's and are not read. */
static void
test_sandbox (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(OwsConfig) outside = NULL;
  g_autoptr(JsonNode) value = json_node_init_boolean (json_node_alloc (), TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_build_filename (fixture->scratch, "host", NULL);
  g_autofree char *host_home = g_build_filename (fixture->scratch, "host-config", NULL);
  g_autofree char *host_user = g_build_filename (host_home, "mycroft", "mycroft.conf", NULL);
  g_autofree char *host_system = g_build_filename (host, "etc", "mycroft", "mycroft.conf", NULL);
  g_autofree char *host_xdg = g_build_filename (host, "etc", "xdg", "mycroft", "mycroft.conf", NULL);
  g_autofree char *home_user = g_build_filename (g_get_home_dir (), ".config", "mycroft",
                                                 "mycroft.conf", NULL);
  g_autofree char *text = NULL;
  const char *sandbox_text = "{\"websocket\": {\"port\": 9999}, "
                             "\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"first_boot\": true}}}";

  g_unsetenv ("MYCROFT_SYSTEM_CONFIG");
  g_unsetenv ("OVOS_DISTRIBUTION_CONFIG");
  g_setenv ("HOST_XDG_CONFIG_HOME", host_home, TRUE);
  ows_test_write_text (host_system, "{\"websocket\": {\"port\": 9001}, "
                           "\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 7}}}");
  ows_test_write_text (host_xdg, "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"time_between_checks\": 11}}}");
  ows_test_write_text (host_user, "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"first_boot\": false}}}");
  ows_test_write_text (fixture->user, sandbox_text);
  ows_test_write_text (fixture->xdg_first, "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"time_between_checks\": 99}}}");

  config = ows_config_new_sandboxed (host);
  ows_config_load (config);
  g_assert_cmpstr (ows_config_get_user_path (config), ==, host_user);
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 9001);
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 7);
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "time_between_checks", 0), ==, 11);
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));

  /* Persisting writes the host's file, where OVOS reads it; the sandbox's stays as it was. */
  g_assert_true (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
  g_assert_no_error (error);
  text = ows_test_read_text (host_user);
  g_assert_true (g_regex_match_simple ("\"first_boot\" *: *true", text, 0, 0));
  g_free (text);
  text = ows_test_read_text (fixture->user);
  g_assert_cmpstr (text, ==, sandbox_text);

  /* Without HOST_XDG_CONFIG_HOME (or with a relative one, which XDG says to
   * ignore), the host's default: the sandbox's XDG_CONFIG_HOME is never it. */
  g_unsetenv ("HOST_XDG_CONFIG_HOME");
  ows_config_load (config);
  g_assert_cmpstr (ows_config_get_user_path (config), ==, home_user);
  g_setenv ("HOST_XDG_CONFIG_HOME", "relative/config", TRUE);
  ows_config_load (config);
  g_assert_cmpstr (ows_config_get_user_path (config), ==, home_user);

  /* Outside a sandbox HOST_XDG_CONFIG_HOME means nothing. */
  g_setenv ("HOST_XDG_CONFIG_HOME", host_home, TRUE);
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("running inside a Flatpak");
      return;
    }
  outside = load_config ();
  g_assert_cmpstr (ows_config_get_user_path (outside), ==, fixture->user);
  g_assert_cmpint (ows_config_get_int (outside, "websocket", "port", 0), ==, 9999);
}

static void
add_test (const char *name,
          void (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/ows/config/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_writer_default_set_use_stderr (TRUE);

  add_test ("defaults", test_defaults);
  add_test ("layer-order", test_layer_order);
  add_test ("deep-merge", test_deep_merge);
  add_test ("comments", test_comments);
  add_test ("disable-user-config", test_disable_user_config);
  add_test ("corrupt-layer", test_corrupt_layer);
  add_test ("env-paths", test_env_paths);
  add_test ("override", test_override);
  add_test ("getters", test_getters);
  add_test ("bus-url", test_bus_url);
  add_test ("max-msg-size", test_max_msg_size);
  add_test ("persist-new-file", test_persist_new_file);
  add_test ("persist-keeps-keys", test_persist_keeps_keys);
  add_test ("persist-unchanged", test_persist_unchanged);
  add_test ("persist-corrupt", test_persist_corrupt);
  add_test ("persist-unreadable", test_persist_unreadable);
  add_test ("persist-keeps-text", test_persist_keeps_text);
  add_test ("persist-symlink", test_persist_symlink);
  add_test ("persist-stale-temporaries", test_persist_stale_temporaries);
  add_test ("persist-unwritable-dir", test_persist_unwritable_dir);
  add_test ("persist-parent-is-file", test_persist_parent_is_file);
  add_test ("persist-reload", test_persist_reload);
  add_test ("sandbox", test_sandbox);

  return g_test_run ();
}
