/* ows-manager.h: the wifi-setup state machine (PROTOCOL.md sections 2-5).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: messages (ows_manager_handle_message), output: the "send" signal,
 * properties and signals. It owns no socket and no widget. Its state is
 * private; what a screen needs is one derived, named value: the phase.
 */
#pragma once

#include "ows-client.h"
#include "ows-config.h"
#include "ows-message.h"
#include "ows-registry.h"
#include "ows-connectivity.h"

G_BEGIN_DECLS

typedef enum
{
  OWS_SETUP_MODE_NORMAL,
  OWS_SETUP_MODE_SKIPPED,
  OWS_SETUP_MODE_OFFLINE,
} OwsSetupMode;

/* Where the setup is, derived from the manager's state (ows_manager_get_phase).
 * The nicks are the names of the window's screens. */
typedef enum
{
  OWS_PHASE_IDLE,       /* no setup, and the internet is not known to be up */
  OWS_PHASE_WAITING,    /* setup launched, nothing that can work to offer yet */
  OWS_PHASE_SELECTION,  /* setup launched: the user chooses a client */
  OWS_PHASE_RUNNING,    /* a client owns the setup */
  OWS_PHASE_CHECKING,   /* a client said it is done: is the internet up? */
  OWS_PHASE_CONNECTED,  /* no setup, and the internet is up */
  OWS_PHASE_OFFLINE,    /* the user chose to stay offline, for now or for good */
} OwsPhase;

const char *ows_phase_to_nick (OwsPhase phase);

/* How the last client's attempt ended, for the choices to say. */
typedef enum
{
  OWS_OUTCOME_NONE,
  OWS_OUTCOME_FAILED,       /* it gave up (client.setup.failure) */
  OWS_OUTCOME_NO_INTERNET,  /* it said it was done, but the internet is out of reach */
} OwsOutcome;

/* Every request type of the protocol starts with this. */
#define OWS_PREFIX "ovos.phal.wifi.plugin."

#define OWS_TYPE_MANAGER (ows_manager_get_type ())

G_DECLARE_FINAL_TYPE (OwsManager, ows_manager, OWS, MANAGER, GObject)

OwsManager           *ows_manager_new                  (OwsConfig       *config,
                                                        OwsConnectivity *watchdog);
gboolean              ows_manager_wants_type           (const char  *type,
                                                        gpointer     unused);
void                  ows_manager_handle_message       (OwsManager  *self,
                                                        OwsMessage  *message);
void                  ows_manager_bus_connected        (OwsManager  *self);
void                  ows_manager_shutdown             (OwsManager  *self);

void                  ows_manager_set_has_screen       (OwsManager  *self,
                                                        gboolean     has_screen);

OwsPhase              ows_manager_get_phase            (OwsManager  *self);
OwsRegistry          *ows_manager_get_registry         (OwsManager  *self);
OwsClient            *ows_manager_get_active_client    (OwsManager  *self);
gboolean              ows_manager_get_in_setup         (OwsManager  *self);
OwsSetupMode          ows_manager_get_setup_mode       (OwsManager  *self);
gboolean              ows_manager_get_ovos_gui         (OwsManager  *self);
OwsOutcome            ows_manager_get_outcome          (OwsManager  *self);
OwsClient            *ows_manager_get_outcome_client   (OwsManager  *self);
gboolean              ows_manager_offers               (OwsManager  *self,
                                                        OwsClient   *client);
gboolean              ows_manager_get_setup_running    (OwsManager  *self);

void                  ows_manager_follow               (OwsManager  *self);
gboolean              ows_manager_get_following        (OwsManager  *self);
const char           *ows_manager_route_request        (OwsManager  *self,
                                                        const char  *type);

void                  ows_manager_add_window_client    (OwsManager  *self,
                                                        const char  *name);
gboolean              ows_manager_is_window_client     (OwsManager  *self,
                                                        OwsClient   *client);

G_END_DECLS
