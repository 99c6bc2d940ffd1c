/* ows-setup-page.h: the page a phone opens on the device's hotspot, served by libsoup.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  OWS_SETUP_PAGE_STATUS_CHOOSING,    /* the form */
  OWS_SETUP_PAGE_STATUS_CONNECTING,  /* "Connecting…": the phone is about to lose the hotspot */
  OWS_SETUP_PAGE_STATUS_FAILED,      /* the form again, the owner's sentence above it */
} OwsSetupPageStatus;

/* A network the page lists, as its owner found it. */
typedef struct
{
  char *ssid;        /* UTF-8 as shown; 1..32 bytes */
  guint level;       /* signal, 0 (weakest) .. 4 */
  gboolean secured;  /* needs a password */
} OwsSetupPageNetwork;

#define OWS_TYPE_SETUP_PAGE_NETWORK (ows_setup_page_network_get_type ())

GType                ows_setup_page_network_get_type (void) G_GNUC_CONST;
OwsSetupPageNetwork *ows_setup_page_network_new      (const char                *ssid,
                                                      guint                      level,
                                                      gboolean                   secured);
OwsSetupPageNetwork *ows_setup_page_network_copy     (const OwsSetupPageNetwork *network);
void                 ows_setup_page_network_free     (OwsSetupPageNetwork       *network);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwsSetupPageNetwork, ows_setup_page_network_free)

/* The value of the form's `network` field for the hidden network: longer
 * than any SSID (32 bytes), so that no listed network can be taken for it. */
#define OWS_SETUP_PAGE_HIDDEN_MARKER "ows-hidden-network-not-an-ssid-marker"

#define OWS_TYPE_SETUP_PAGE (ows_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsSetupPage, ows_setup_page, OWS, SETUP_PAGE, GObject)

OwsSetupPage *ows_setup_page_new                (void);
gboolean      ows_setup_page_listen             (OwsSetupPage       *self,
                                                 GInetAddress       *address,
                                                 guint               port,
                                                 GError            **error);
guint         ows_setup_page_get_port           (OwsSetupPage       *self);
void          ows_setup_page_stop               (OwsSetupPage       *self);
void          ows_setup_page_set_allowed_subnet (OwsSetupPage       *self,
                                                 GInetAddressMask   *mask);
void          ows_setup_page_set_networks       (OwsSetupPage       *self,
                                                 GPtrArray          *networks);
void          ows_setup_page_set_status         (OwsSetupPage       *self,
                                                 OwsSetupPageStatus  status,
                                                 const char         *sentence);
char         *ows_setup_page_pick_language      (const char         *accept_language,
                                                 const char * const *available);

G_END_DECLS
