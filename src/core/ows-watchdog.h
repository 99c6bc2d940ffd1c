/* ows-watchdog.h: "is the internet up", as the manager sees it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * An interface so that the manager can be built and tested before (and
 * without) the real connectivity checker; OwsWatchdogNone is the stand-in
 * that never runs and never knows.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  OWS_CONNECTIVITY_UNKNOWN,
  OWS_CONNECTIVITY_OFFLINE,   /* no network */
  OWS_CONNECTIVITY_NETWORK,   /* a network, but no internet */
  OWS_CONNECTIVITY_PORTAL,    /* a captive portal */
  OWS_CONNECTIVITY_ONLINE,
} OwsConnectivityState;

const char *ows_connectivity_state_to_string (OwsConnectivityState state);

#define OWS_TYPE_WATCHDOG (ows_watchdog_get_type ())

G_DECLARE_INTERFACE (OwsWatchdog, ows_watchdog, OWS, WATCHDOG, GObject)

struct _OwsWatchdogInterface
{
  GTypeInterface parent_iface;

  void                 (*start)            (OwsWatchdog *self);
  void                 (*stop)             (OwsWatchdog *self);
  gboolean             (*is_running)       (OwsWatchdog *self);
  void                 (*check_now)        (OwsWatchdog *self);
  OwsConnectivityState (*get_connectivity) (OwsWatchdog *self);
};

void                 ows_watchdog_start            (OwsWatchdog *self);
void                 ows_watchdog_stop             (OwsWatchdog *self);
gboolean             ows_watchdog_is_running       (OwsWatchdog *self);
void                 ows_watchdog_check_now        (OwsWatchdog *self);
OwsConnectivityState ows_watchdog_get_connectivity (OwsWatchdog *self);
void                 ows_watchdog_changed          (OwsWatchdog *self);

#define OWS_TYPE_WATCHDOG_NONE (ows_watchdog_none_get_type ())

G_DECLARE_FINAL_TYPE (OwsWatchdogNone, ows_watchdog_none, OWS, WATCHDOG_NONE, GObject)

OwsWatchdog *ows_watchdog_none_new (void);

G_END_DECLS
