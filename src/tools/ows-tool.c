/* ows-tool.c: the messagebus connection lifecycle the command-line tools share.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A tool run by hand or by a script must fail fast and clearly when the bus
 * is not there at all; once it has been reached, the bus reconnects by itself.
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
  double              timeout_s;
  guint               timeout_id;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  /* By data, not by id: on a disposed bus the handlers are already gone. */
  g_signal_handlers_disconnect_by_data (watch->bus, watch);
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

static void
on_connect_failed (OwsBus   *bus,
                   GError   *error,
                   gpointer  user_data)
{
  watch_end (user_data, error != NULL ? error->message : "connection failed");
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *watch = user_data;
  g_autofree char *reason = g_strdup_printf ("no connection within %g s", watch->timeout_s);

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

/* Starts the bus itself, so the watch is in place before any failure is told. */
void
ows_tool_bus_start (OwsBus             *bus,
                    double              timeout_s,
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
  watch->timeout_s = timeout_s;
  g_object_set_data_full (G_OBJECT (bus), WATCH_KEY, watch, watch_free);

  g_signal_connect (bus, "connected", G_CALLBACK (on_connected), watch);
  g_signal_connect (bus, "connect-failed", G_CALLBACK (on_connect_failed), watch);
  watch->timeout_id = g_timeout_add ((guint) (timeout_s * 1000), on_timeout, watch);

  ows_bus_start (bus);
}
