/* ows-test-network-monitor.c: a GNetworkMonitor that tests flip by hand.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The only test double we allow: a CI runner cannot take its own network
 * down, and GIO's netlink and NetworkManager monitors follow the kernel. So
 * the tests hand this one to the code under test and flip it instead.
 */
#include "ows-test-network-monitor.h"

struct _OwsTestNetworkMonitor
{
  GObject parent_instance;

  gboolean available;
  GNetworkConnectivity connectivity;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ows_test_network_monitor_iface_init (GNetworkMonitorInterface *iface);
static void ows_test_network_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OwsTestNetworkMonitor, ows_test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ows_test_network_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      ows_test_network_monitor_iface_init))

static gboolean
ows_test_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                    GSocketConnectable  *connectable,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  OwsTestNetworkMonitor *self = OWS_TEST_NETWORK_MONITOR (monitor);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!self->available)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                           "Network unreachable (test network monitor)");
      return FALSE;
    }
  return TRUE;
}

static void
ows_test_network_monitor_can_reach_async (GNetworkMonitor     *monitor,
                                          GSocketConnectable  *connectable,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (monitor, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, ows_test_network_monitor_can_reach_async);
  if (ows_test_network_monitor_can_reach (monitor, connectable, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
ows_test_network_monitor_can_reach_finish (GNetworkMonitor  *monitor,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, monitor), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ows_test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = ows_test_network_monitor_can_reach;
  iface->can_reach_async = ows_test_network_monitor_can_reach_async;
  iface->can_reach_finish = ows_test_network_monitor_can_reach_finish;
}

static gboolean
ows_test_network_monitor_initable_init (GInitable     *initable,
                                        GCancellable  *cancellable,
                                        GError       **error)
{
  return TRUE;
}

/* GNetworkMonitor requires GInitable, for monitors that open a socket. */
static void
ows_test_network_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = ows_test_network_monitor_initable_init;
}

static void
ows_test_network_monitor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  OwsTestNetworkMonitor *self = OWS_TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_test_network_monitor_class_init (OwsTestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ows_test_network_monitor_get_property;

  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
  /* Metered never changes, so only these two are ever notified. */
  properties[PROP_NETWORK_AVAILABLE] = g_object_class_find_property (object_class,
                                                                     "network-available");
  properties[PROP_CONNECTIVITY] = g_object_class_find_property (object_class, "connectivity");
}

static void
ows_test_network_monitor_init (OwsTestNetworkMonitor *self)
{
  self->available = TRUE;
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
}

GNetworkMonitor *
ows_test_network_monitor_new (gboolean             available,
                              GNetworkConnectivity connectivity)
{
  OwsTestNetworkMonitor *self = g_object_new (OWS_TYPE_TEST_NETWORK_MONITOR, NULL);

  self->available = !!available;
  self->connectivity = connectivity;
  return G_NETWORK_MONITOR (self);
}

/* A real monitor says network-changed on every route change, also one that
 * leaves availability as it was: so does this, once per call. */
void
ows_test_network_monitor_set (OwsTestNetworkMonitor *self,
                              gboolean               available,
                              GNetworkConnectivity   connectivity)
{
  gboolean available_changed;
  gboolean connectivity_changed;

  g_return_if_fail (OWS_IS_TEST_NETWORK_MONITOR (self));

  available = !!available;
  available_changed = self->available != available;
  connectivity_changed = self->connectivity != connectivity;
  /* Both values first: a notify handler may read the other one. */
  self->available = available;
  self->connectivity = connectivity;
  if (available_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  if (connectivity_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIVITY]);
  g_signal_emit_by_name (self, "network-changed", self->available);
}
