/* ows-manager.h: the wifi-setup state machine (PROTOCOL.md sections 2-5).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: messages (ows_manager_handle_message), output: the "send" signal,
 * properties and signals. It owns no socket and no widget.
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

const char *ows_setup_mode_to_string (OwsSetupMode mode);

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
gboolean              ows_manager_get_has_screen       (OwsManager  *self);
void                  ows_manager_set_stop_timeout     (OwsManager  *self,
                                                        guint        timeout_ms);

OwsRegistry          *ows_manager_get_registry         (OwsManager  *self);
OwsClient            *ows_manager_get_active_client    (OwsManager  *self);
gboolean              ows_manager_get_in_setup         (OwsManager  *self);
OwsSetupMode          ows_manager_get_setup_mode       (OwsManager  *self);
OwsConnectivityState  ows_manager_get_connectivity     (OwsManager  *self);
const char           *ows_manager_get_portal_uri       (OwsManager  *self);
gboolean              ows_manager_get_setup_running    (OwsManager  *self);

G_END_DECLS
