/* ows-client-tile.c: one registered client on the selection screen; tapping it selects the client.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A button, so that screen readers say "button" and keyboards activate it;
 * the list view around it moves focus between tiles with the arrow keys.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-client-tile.h"
#include "ows-display-text.h"
#include "ows-phone-client.h"
#include "ows-wifi-client.h"

struct _OwsClientTile
{
  GtkButton parent_instance;

  OwsClient *client;

  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *gui_hint;
  GtkLabel *input_hint;
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (OwsClientTile, ows_client_tile, GTK_TYPE_BUTTON)

/* PROTOCOL.md 2: "onDevice", "Remote", anything else is generic. */
static const char *
icon_for_type (const char *type)
{
  if (g_strcmp0 (type, "onDevice") == 0)
    return "ows-client-on-device-symbolic";
  if (g_strcmp0 (type, "Remote") == 0)
    return "ows-client-remote-symbolic";
  return "ows-client-generic-symbolic";
}

static void
sync_client (OwsClientTile *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) hints = g_string_new (NULL);
  gboolean has_gui = FALSE, requires_input = FALSE;

  if (self->client != NULL)
    {
      text = ows_display_text_for_client (self->client);
      /* Our own clients' screen is this window: nothing to say. */
      has_gui = ows_client_get_has_gui (self->client) &&
                g_strcmp0 (ows_client_get_name (self->client), OWS_WIFI_CLIENT_NAME) != 0 &&
                g_strcmp0 (ows_client_get_name (self->client), OWS_PHONE_CLIENT_NAME) != 0;
      requires_input = ows_client_get_requires_input (self->client);
      gtk_image_set_from_icon_name (self->icon,
                                    icon_for_type (ows_client_get_client_type (self->client)));
    }

  gtk_label_set_text (self->title, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->gui_hint), has_gui);
  gtk_widget_set_visible (GTK_WIDGET (self->input_hint), requires_input);

  if (has_gui)
    g_string_append (hints, gtk_label_get_text (self->gui_hint));
  if (requires_input)
    g_string_append_printf (hints, "%s%s", hints->len ? ". " : "",
                            gtk_label_get_text (self->input_hint));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text ? text : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hints->str,
                                  -1);
}

static void
ows_client_tile_clicked (GtkButton *button)
{
  OwsClientTile *self = OWS_CLIENT_TILE (button);

  if (self->client == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.select", "s",
                              ows_client_get_id (self->client));
}

static void
ows_client_tile_dispose (GObject *object)
{
  ows_client_tile_set_client (OWS_CLIENT_TILE (object), NULL);

  G_OBJECT_CLASS (ows_client_tile_parent_class)->dispose (object);
}

static void
ows_client_tile_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OwsClientTile *self = OWS_CLIENT_TILE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_client_tile_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  OwsClientTile *self = OWS_CLIENT_TILE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      ows_client_tile_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_client_tile_class_init (OwsClientTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ows_client_tile_dispose;
  object_class->get_property = ows_client_tile_get_property;
  object_class->set_property = ows_client_tile_set_property;
  GTK_BUTTON_CLASS (klass)->clicked = ows_client_tile_clicked;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, OWS_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-client-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsClientTile, icon);
  gtk_widget_class_bind_template_child (widget_class, OwsClientTile, title);
  gtk_widget_class_bind_template_child (widget_class, OwsClientTile, gui_hint);
  gtk_widget_class_bind_template_child (widget_class, OwsClientTile, input_hint);
}

static void
ows_client_tile_init (OwsClientTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OwsClient *
ows_client_tile_get_client (OwsClientTile *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT_TILE (self), NULL);
  return self->client;
}

/* A registered client updates in place (same name again): follow it. */
void
ows_client_tile_set_client (OwsClientTile *self,
                            OwsClient     *client)
{
  g_return_if_fail (OWS_IS_CLIENT_TILE (self));
  g_return_if_fail (client == NULL || OWS_IS_CLIENT (client));

  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, sync_client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "notify", G_CALLBACK (sync_client), self, G_CONNECT_SWAPPED);
  if (self->icon != NULL)
    sync_client (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}
