/* ows-connectivity-notice.c: a bar above the screens that says why the internet is out of reach.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A banner in GNOME's manner (AdwBanner is libadwaita 1.3). Two verdicts of
 * the watchdog need words the screens do not have: a captive portal, where
 * the user must sign in (its address, and a button for setup.sign-in, which
 * the window provides), and a network that leads nowhere. The others slide
 * it away: the screens themselves say "connected" or "offline".
 *
 * The portal's address comes from the network, so it is plain, bounded
 * text like any display text from the bus.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-connectivity-notice.h"
#include "ows-display-text.h"
#include "ows-enums.h"

struct _OwsConnectivityNotice
{
  AdwBin parent_instance;

  OwsConnectivityState connectivity;
  char *portal_uri;
  char *problem;              /* why Sign In did nothing, until the portal changes */

  GtkRevealer *revealer;
  GtkWidget *bar;
  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *address;
  GtkLabel *problem_label;
  GtkLabel *advice;
  GtkWidget *sign_in_button;
};

enum {
  PROP_0,
  PROP_CONNECTIVITY,
  PROP_PORTAL_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (OwsConnectivityNotice, ows_connectivity_notice, ADW_TYPE_BIN)

static void
sync_notice (OwsConnectivityNotice *self)
{
  gboolean portal = self->connectivity == OWS_CONNECTIVITY_PORTAL;
  g_autofree char *address = NULL;
  g_autofree char *full_detail = NULL;
  const char *title;
  const char *detail;

  /* Sliding away, it keeps its last words rather than go blank. */
  if (!portal && self->connectivity != OWS_CONNECTIVITY_NETWORK)
    {
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
      return;
    }

  address = ows_display_text_for_label (self->portal_uri);
  title = portal ? _("This network needs you to sign in")
                 : _("Connected to a network without internet access");
  detail = portal ? address : gtk_label_get_text (self->advice);
  if (portal && self->problem != NULL)
    detail = full_detail = g_strconcat (address, " ", self->problem, NULL);

  gtk_label_set_text (self->title, title);
  gtk_label_set_text (self->address, address);
  gtk_widget_set_visible (GTK_WIDGET (self->address), portal);
  gtk_widget_set_visible (GTK_WIDGET (self->advice), !portal);
  gtk_label_set_text (self->problem_label, self->problem ? self->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), portal && self->problem != NULL);
  gtk_widget_set_visible (self->sign_in_button, portal);
  gtk_image_set_from_icon_name (self->icon, portal ? "dialog-password-symbolic"
                                                   : "network-wireless-no-route-symbolic");
  if (portal)
    {
      gtk_widget_add_css_class (self->bar, "portal");
      gtk_widget_remove_css_class (self->bar, "no-internet");
    }
  else
    {
      gtk_widget_add_css_class (self->bar, "no-internet");
      gtk_widget_remove_css_class (self->bar, "portal");
    }
  /* GTK 4.8 cannot announce; an alert with a name is what screen readers
   * pick up when it appears. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                  -1);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

static void
ows_connectivity_notice_finalize (GObject *object)
{
  g_free (OWS_CONNECTIVITY_NOTICE (object)->portal_uri);
  g_free (OWS_CONNECTIVITY_NOTICE (object)->problem);

  G_OBJECT_CLASS (ows_connectivity_notice_parent_class)->finalize (object);
}

static void
ows_connectivity_notice_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  OwsConnectivityNotice *self = OWS_CONNECTIVITY_NOTICE (object);

  switch (prop_id)
    {
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    case PROP_PORTAL_URI:
      g_value_set_string (value, self->portal_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_connectivity_notice_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  OwsConnectivityNotice *self = OWS_CONNECTIVITY_NOTICE (object);

  switch (prop_id)
    {
    case PROP_CONNECTIVITY:
      ows_connectivity_notice_set_connectivity (self, g_value_get_enum (value));
      break;
    case PROP_PORTAL_URI:
      ows_connectivity_notice_set_portal_uri (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_connectivity_notice_class_init (OwsConnectivityNoticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ows_connectivity_notice_finalize;
  object_class->get_property = ows_connectivity_notice_get_property;
  object_class->set_property = ows_connectivity_notice_set_property;

  properties[PROP_CONNECTIVITY] =
    g_param_spec_enum ("connectivity", NULL, NULL, OWS_TYPE_CONNECTIVITY_STATE,
                       OWS_CONNECTIVITY_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Where to sign in, while the connectivity is "portal". */
  properties[PROP_PORTAL_URI] =
    g_param_spec_string ("portal-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-connectivity-notice.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, revealer);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, bar);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, icon);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, title);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, address);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, problem_label);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, advice);
  gtk_widget_class_bind_template_child (widget_class, OwsConnectivityNotice, sign_in_button);
}

static void
ows_connectivity_notice_init (OwsConnectivityNotice *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OwsConnectivityState
ows_connectivity_notice_get_connectivity (OwsConnectivityNotice *self)
{
  g_return_val_if_fail (OWS_IS_CONNECTIVITY_NOTICE (self), OWS_CONNECTIVITY_UNKNOWN);
  return self->connectivity;
}

void
ows_connectivity_notice_set_connectivity (OwsConnectivityNotice *self,
                                          OwsConnectivityState   connectivity)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY_NOTICE (self));

  if (self->connectivity == connectivity)
    return;
  self->connectivity = connectivity;
  sync_notice (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIVITY]);
}

const char *
ows_connectivity_notice_get_portal_uri (OwsConnectivityNotice *self)
{
  g_return_val_if_fail (OWS_IS_CONNECTIVITY_NOTICE (self), NULL);
  return self->portal_uri;
}

/* @portal_uri: as the network gave it; shown as plain text. */
void
ows_connectivity_notice_set_portal_uri (OwsConnectivityNotice *self,
                                        const char            *portal_uri)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY_NOTICE (self));

  if (g_strcmp0 (self->portal_uri, portal_uri) == 0)
    return;
  g_free (self->portal_uri);
  self->portal_uri = g_strdup (portal_uri);
  g_clear_pointer (&self->problem, g_free);
  sync_notice (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_URI]);
}

/* @problem: why signing in to this portal did not work, in a sentence, or
 * NULL; forgotten when the portal changes. */
void
ows_connectivity_notice_set_problem (OwsConnectivityNotice *self,
                                     const char            *problem)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY_NOTICE (self));

  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  sync_notice (self);
}
