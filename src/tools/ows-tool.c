/* ows-tool.c: the messagebus connection lifecycle and argument checks the command-line tools share.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A tool run by hand must fail fast and clearly when the bus is not there at
 * all; a script that starts the bus beside it asks to wait for it instead
 * (--wait), with a deadline all the same. Once it has been reached, the bus
 * reconnects by itself.
 */
#define G_LOG_DOMAIN "ows-tool"

#include "config.h"

#include "ows-config.h"
#include "ows-tool.h"

/* The watch lives on the bus, so a bus dropped early takes it along. */
#define WATCH_KEY "ows-tool-first-connection"

typedef struct
{
  OwsBus             *bus;  /* not owned: the watch is the bus's data */
  OwsToolUnreachable  unreachable;
  gpointer            user_data;
  double              deadline_s;
  gboolean            waiting;     /* --wait: a refused attempt is retried */
  char               *last_error;  /* why the last attempt failed, while waiting */
  guint               timeout_id;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  /* By data, not by id: on a disposed bus the handlers are already gone. */
  g_signal_handlers_disconnect_by_data (watch->bus, watch);
  g_free (watch->last_error);
  g_free (watch);
}

/* Only the first connection is the user's problem: stop watching either way. */
static void
watch_end (Watch      *watch,
           const char *reason)
{
  OwsToolUnreachable unreachable = watch->unreachable;
  gpointer user_data = watch->user_data;
  OwsBus *bus = watch->bus;

  g_object_set_data (G_OBJECT (bus), WATCH_KEY, NULL);
  if (reason != NULL)
    unreachable (reason, user_data);
}

static void
on_connected (OwsBus   *bus,
              gpointer  user_data)
{
  watch_end (user_data, NULL);
}

/* An unusable address is final (the bus does not retry it), so it is told at
 * once even while waiting: no bus can come up there. */
static void
on_connect_failed (OwsBus   *bus,
                   GError   *error,
                   gpointer  user_data)
{
  Watch *watch = user_data;
  const char *reason = error != NULL ? error->message : "connection failed";

  if (!watch->waiting || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    {
      watch_end (watch, reason);
      return;
    }

  g_debug ("not up yet, retrying: %s", reason);
  g_free (watch->last_error);
  watch->last_error = g_strdup (reason);
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *watch = user_data;
  g_autofree char *reason = NULL;

  if (watch->last_error != NULL)
    reason = g_strdup_printf ("still unreachable after %g s: %s",
                              watch->deadline_s, watch->last_error);
  else
    reason = g_strdup_printf ("no connection within %g s", watch->deadline_s);

  /* Already being dispatched: the source goes away by the return value. */
  watch->timeout_id = 0;
  watch_end (watch, reason);

  return G_SOURCE_REMOVE;
}

/* The same address and frame limit as ovos-wifi-setup, unless the user names a bus. */
OwsBus *
ows_tool_bus_new (const char *bus_url)
{
  g_autoptr(OwsConfig) config = ows_config_new ();
  g_autofree char *url = NULL;

  ows_config_load (config);
  url = bus_url != NULL ? g_strdup (bus_url) : ows_config_dup_bus_url (config);

  return ows_bus_new (url, ows_config_get_max_msg_size (config));
}

/* Starts the bus itself, so the watch is in place before any failure is told.
 * wait_s > 0 retries refused attempts (the bus backs off by itself) for that
 * long; it lengthens timeout_s, never shortens it. */
void
ows_tool_bus_start (OwsBus             *bus,
                    double              timeout_s,
                    double              wait_s,
                    OwsToolUnreachable  unreachable,
                    gpointer            user_data)
{
  Watch *watch;

  g_return_if_fail (OWS_IS_BUS (bus));
  g_return_if_fail (unreachable != NULL);

  watch = g_new0 (Watch, 1);
  watch->bus = bus;
  watch->unreachable = unreachable;
  watch->user_data = user_data;
  watch->waiting = wait_s > 0;
  watch->deadline_s = MAX (timeout_s, wait_s);
  g_object_set_data_full (G_OBJECT (bus), WATCH_KEY, watch, watch_free);

  g_signal_connect (bus, "connected", G_CALLBACK (on_connected), watch);
  g_signal_connect (bus, "connect-failed", G_CALLBACK (on_connect_failed), watch);
  watch->timeout_id = g_timeout_add ((guint) (watch->deadline_s * 1000), on_timeout, watch);

  ows_bus_start (bus);
}

/* The tools take their string arguments as bytes (G_OPTION_ARG_FILENAME):
 * GOptionContext would convert G_OPTION_ARG_STRING from the locale's
 * charset, which refuses any non-ASCII text under LANG=C, while what they
 * put on the bus is UTF-8 whatever the locale. So they check it here. */
gboolean
ows_tool_check_utf8 (const char *tool,
                     const char *what,
                     const char *value)
{
  g_return_val_if_fail (tool != NULL && what != NULL, FALSE);

  if (value == NULL || g_utf8_validate (value, -1, NULL))
    return TRUE;

  g_printerr ("%s: %s is not valid UTF-8: arguments are read as UTF-8 text,"
              " whatever the locale\n", tool, what);
  return FALSE;
}
