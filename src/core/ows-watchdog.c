/* ows-watchdog.c: the watchdog interface, and the stand-in that never runs.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-watchdog"

#include "ows-watchdog.h"

G_DEFINE_INTERFACE (OwsWatchdog, ows_watchdog, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

const char *
ows_connectivity_state_to_string (OwsConnectivityState state)
{
  /* The wire spelling of PROTOCOL.md section 4. */
  switch (state)
    {
    case OWS_CONNECTIVITY_OFFLINE:
      return "offline";
    case OWS_CONNECTIVITY_NETWORK:
      return "network";
    case OWS_CONNECTIVITY_PORTAL:
      return "portal";
    case OWS_CONNECTIVITY_ONLINE:
      return "online";
    case OWS_CONNECTIVITY_UNKNOWN:
    default:
      return "unknown";
    }
}

static void
ows_watchdog_default_init (OwsWatchdogInterface *iface)
{
  /* Emitted when the connectivity verdict changes or a requested check ends. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_INTERFACE (iface),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

void
ows_watchdog_start (OwsWatchdog *self)
{
  g_return_if_fail (OWS_IS_WATCHDOG (self));
  OWS_WATCHDOG_GET_IFACE (self)->start (self);
}

void
ows_watchdog_stop (OwsWatchdog *self)
{
  g_return_if_fail (OWS_IS_WATCHDOG (self));
  OWS_WATCHDOG_GET_IFACE (self)->stop (self);
}

gboolean
ows_watchdog_is_running (OwsWatchdog *self)
{
  g_return_val_if_fail (OWS_IS_WATCHDOG (self), FALSE);
  return OWS_WATCHDOG_GET_IFACE (self)->is_running (self);
}

void
ows_watchdog_check_now (OwsWatchdog *self)
{
  g_return_if_fail (OWS_IS_WATCHDOG (self));
  OWS_WATCHDOG_GET_IFACE (self)->check_now (self);
}

OwsConnectivityState
ows_watchdog_get_connectivity (OwsWatchdog *self)
{
  g_return_val_if_fail (OWS_IS_WATCHDOG (self), OWS_CONNECTIVITY_UNKNOWN);
  return OWS_WATCHDOG_GET_IFACE (self)->get_connectivity (self);
}

void
ows_watchdog_changed (OwsWatchdog *self)
{
  g_return_if_fail (OWS_IS_WATCHDOG (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The stand-in: it never runs and never knows, so the manager only learns
 * about the internet from mycroft.internet.connected. */
struct _OwsWatchdogNone
{
  GObject parent_instance;
};

static void ows_watchdog_none_iface_init (OwsWatchdogInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OwsWatchdogNone, ows_watchdog_none, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OWS_TYPE_WATCHDOG,
                                                      ows_watchdog_none_iface_init))

static void
none_nothing (OwsWatchdog *self)
{
}

static gboolean
none_is_running (OwsWatchdog *self)
{
  return FALSE;
}

static OwsConnectivityState
none_get_connectivity (OwsWatchdog *self)
{
  return OWS_CONNECTIVITY_UNKNOWN;
}

static void
ows_watchdog_none_iface_init (OwsWatchdogInterface *iface)
{
  iface->start = none_nothing;
  iface->stop = none_nothing;
  iface->is_running = none_is_running;
  iface->check_now = none_nothing;
  iface->get_connectivity = none_get_connectivity;
}

static void
ows_watchdog_none_class_init (OwsWatchdogNoneClass *klass)
{
}

static void
ows_watchdog_none_init (OwsWatchdogNone *self)
{
}

OwsWatchdog *
ows_watchdog_none_new (void)
{
  return g_object_new (OWS_TYPE_WATCHDOG_NONE, NULL);
}
