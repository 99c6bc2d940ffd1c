/* ows-peer-probe.c: whether another wifi-setup manager already answers on the bus.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Two managers on one bus would both answer every request (two ids for one
 * client, two activations), so a manager asks before it says alive
 * (PROTOCOL.md section 1). Ours answers status; upstream's plugin does not,
 * but it answers get.registered.clients and says alive. Two of ours
 * starting together both ask and neither answers yet: each request carries
 * a random token, and the smaller one is the manager.
 */
#define G_LOG_DOMAIN "ows-peer-probe"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ows-manager.h"
#include "ows-peer-probe.h"

#define TOKEN_MEMBER "ows_probe"

typedef struct
{
  OwsBus *bus;
  char *token;
  gulong message_id;
  gulong cancelled_id;
  guint deadline_id;
  gboolean heard_upstream;  /* alive or registered.clients from someone else */
} Probe;

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  g_clear_signal_handler (&probe->message_id, probe->bus);
  g_clear_handle_id (&probe->deadline_id, g_source_remove);
  g_clear_object (&probe->bus);
  g_free (probe->token);
  g_free (probe);
}

/* Ends the probe once: later messages and the deadline find nothing to do.
 * Takes @error. */
static void
probe_return (GTask   *task,
              OwsPeer  peer,
              GError  *error)
{
  Probe *probe = g_task_get_task_data (task);

  if (probe->message_id == 0)
    return;
  g_clear_signal_handler (&probe->message_id, probe->bus);
  g_clear_handle_id (&probe->deadline_id, g_source_remove);
  if (probe->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), probe->cancelled_id);
  probe->cancelled_id = 0;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, peer);
  g_object_unref (task);
}

static void
message_cb (OwsBus     *bus,
            OwsMessage *message,
            GTask      *task)
{
  Probe *probe = g_task_get_task_data (task);
  const char *type = ows_message_get_type_name (message);
  JsonObject *context = ows_message_get_context (message);

  /* We answer nothing while we ask: any answer is someone else's. */
  if (g_strcmp0 (type, OWS_PREFIX "status.response") == 0)
    probe_return (task, OWS_PEER_OURS, NULL);
  else if (g_strcmp0 (type, OWS_PREFIX "registered.clients") == 0
           || g_strcmp0 (type, OWS_PREFIX "alive") == 0)
    probe->heard_upstream = TRUE;
  else if (g_strcmp0 (type, OWS_PREFIX "status") == 0
           && json_object_get_string_member_with_default (context, TOKEN_MEMBER, NULL) != NULL
           && strcmp (json_object_get_string_member (context, TOKEN_MEMBER), probe->token) < 0)
    probe_return (task, OWS_PEER_OURS, NULL);
}

static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  Probe *probe = g_task_get_task_data (task);

  probe->deadline_id = 0;
  probe_return (task, probe->heard_upstream ? OWS_PEER_UPSTREAM : OWS_PEER_NONE, NULL);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  Probe *probe = g_task_get_task_data (task);

  /* Disconnecting from inside this handler would deadlock. */
  probe->cancelled_id = 0;
  probe_return (task, OWS_PEER_NONE,
                g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The probe was cancelled"));
}

static void
ask (Probe      *probe,
     const char *type)
{
  g_autoptr(OwsMessage) message = NULL;
  JsonObject *context = json_object_new ();

  json_object_set_string_member (context, "source", OWS_BUS_NAME);
  json_object_set_string_member (context, TOKEN_MEMBER, probe->token);
  message = ows_message_new (type, NULL, context);
  ows_bus_send (probe->bus, message);
}

/* Asks @bus, which must be connected, who manages the setup there. */
void
ows_peer_probe_async (OwsBus              *bus,
                      guint                deadline_ms,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  Probe *probe;

  g_return_if_fail (OWS_IS_BUS (bus));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ows_peer_probe_async);
  probe = g_new0 (Probe, 1);
  probe->bus = g_object_ref (bus);
  probe->token = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  g_task_set_task_data (task, probe, probe_free);

  probe->message_id = g_signal_connect (bus, "message", G_CALLBACK (message_cb), task);
  if (cancellable != NULL)
    probe->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL);
  if (probe->message_id == 0)
    return;  /* cancelled already */
  probe->deadline_id = g_timeout_add (deadline_ms, deadline_cb, task);
  ask (probe, OWS_PREFIX "status");
  ask (probe, OWS_PREFIX "get.registered.clients");
}

OwsPeer
ows_peer_probe_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), OWS_PEER_NONE);
  return g_task_propagate_int (G_TASK (result), error);
}

/* Whether @message is a probe's question, ours or another starting manager's. */
gboolean
ows_peer_probe_is_own (OwsMessage *message)
{
  return json_object_has_member (ows_message_get_context (message), TOKEN_MEMBER);
}

/* The sentence the headless program ends with, for @peer (not NONE). */
char *
ows_peer_describe (OwsPeer     peer,
                   const char *bus_url)
{
  g_return_val_if_fail (peer != OWS_PEER_NONE, NULL);

  if (peer == OWS_PEER_UPSTREAM)
    /* Translators: %s is the bus's address; the plugin's name is not translated */
    return g_strdup_printf (_("The wifi-setup PHAL plugin (ovos-PHAL-plugin-wifi-setup) "
                              "already manages the network setup on the bus at %s."),
                            bus_url);
  /* Translators: %s is the bus's address, such as ws://127.0.0.1:8181/core */
  return g_strdup_printf (_("Another ovos-wifi-setup already manages the network setup "
                            "on the bus at %s."), bus_url);
}
