/* ows-running-page.c: the screen while a client runs the setup.
 * SPDX-License-Identifier: Apache-2.0
 *
 * It says who is setting up the network and what the person holding the
 * device may need to do meanwhile, and it always has a way back to the
 * choices.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-display-text.h"
#include "ows-running-page.h"

struct _OwsRunningPage
{
  AdwBin parent_instance;

  GtkLabel *display_text;
  GtkLabel *hint;
};

G_DEFINE_FINAL_TYPE (OwsRunningPage, ows_running_page, ADW_TYPE_BIN)

/* PROTOCOL.md 2: "onDevice", "Remote", anything else is generic. */
static const char *
hint_for (OwsClient *client,
          gboolean   ovos_gui)
{
  const char *type = ows_client_get_client_type (client);
  gboolean has_gui = ows_client_get_has_gui (client);

  if (has_gui && ovos_gui)
    return _("Follow the steps it shows on the screen.");
  if (has_gui && ows_client_get_requires_input (client))
    return _("It shows its steps on the OVOS screen, which is not running here. "
             "If nothing happens, go back and choose another way.");
  if (g_strcmp0 (type, "Remote") == 0)
    return _("Use a phone or a computer, and follow the instructions of this setup method; "
             "this device may also speak them. Often you join a Wi-Fi network that this "
             "device opens, then choose your home network on the page that appears.");
  if (g_strcmp0 (type, "onDevice") == 0)
    return _("This device is connecting by itself. It can take a few minutes; listen in "
             "case it asks you something.");
  return _("It can take a few minutes. Listen in case this device asks you something.");
}

static void
ows_running_page_class_init (OwsRunningPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-running-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsRunningPage, display_text);
  gtk_widget_class_bind_template_child (widget_class, OwsRunningPage, hint);
}

static void
ows_running_page_init (OwsRunningPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* @ovos_gui: whether the OVOS screen, where a client with a GUI draws, is there. */
void
ows_running_page_set_client (OwsRunningPage *self,
                             OwsClient      *client,
                             gboolean        ovos_gui)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OWS_IS_RUNNING_PAGE (self));
  g_return_if_fail (client == NULL || OWS_IS_CLIENT (client));

  /* Leaving the screen, it keeps its last words rather than go blank. */
  if (client == NULL)
    return;
  text = ows_display_text_for_client (client);
  gtk_label_set_text (self->display_text, text);
  gtk_label_set_text (self->hint, hint_for (client, ovos_gui));
}
