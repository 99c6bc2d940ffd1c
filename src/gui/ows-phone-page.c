/* ows-phone-page.c: the screen while the device is set up from a phone, over its own hotspot.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The device opens a Wi-Fi network of its own; the person joins it with a
 * phone (by the QR code, or by its name and password) and picks the home
 * network on a page the device serves. This page says how, step by step,
 * and always has a way back to the choices.
 *
 * The hotspot's name and password are shown as text, never as markup: an
 * SSID is whatever bytes its owner chose.
 */
#define G_LOG_DOMAIN "ows-phone-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#if HAVE_QRENCODE
#include "ows-qr-code.h"
#endif
#include "ows-a11y.h"
#include "ows-phone-page.h"

/* Narrower, or taller than wide: the code goes above the steps. */
#define WIDE_WIDTH 600

struct _OwsPhonePage
{
  AdwBin parent_instance;

  GtkStack *views;
  GtkBox *hotspot_box;
  GtkWidget *steps;
  GtkLabel *retry_label;
  GtkLabel *connecting_title;
  GtkLabel *step_join;
  GtkLabel *step_open;
  GtkLabel *ssid_label;
  GtkLabel *password_label;
  GtkWidget *qr;  /* an OwsQrCode; NULL where built without libqrencode */

  char *ssid;
  char *password;  /* NULL: an open hotspot */
  char *url;
  OwsPhonePageStatus status;
  gboolean wide;
};

G_DEFINE_FINAL_TYPE (OwsPhonePage, ows_phone_page, ADW_TYPE_BIN)

static const char *
view_for (OwsPhonePageStatus status)
{
  switch (status)
    {
    case OWS_PHONE_PAGE_PREPARING:
      return "preparing";
    case OWS_PHONE_PAGE_CONNECTING:
      return "connecting";
    case OWS_PHONE_PAGE_WAITING:
    case OWS_PHONE_PAGE_RETRY:
    default:
      return "hotspot";
    }
}

/* GtkLabel names itself after its text when the text is set: the name
 * goes back to what the value is, and the value is its description, so
 * that a screen reader says "Password, 7kq9xrhwmc". */
static void
set_value (GtkLabel   *label,
           const char *name,
           const char *text)
{
  gtk_label_set_text (label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
update_qr (OwsPhonePage *self)
{
#if HAVE_QRENCODE
  g_autofree char *text = NULL;

  if (self->ssid != NULL)
    text = ows_qr_code_wifi_text (self->ssid, self->password, FALSE);
  ows_qr_code_set_text (OWS_QR_CODE (self->qr), text);
  gtk_widget_set_visible (self->qr, text != NULL);
#endif
}

static void
update_password (OwsPhonePage *self)
{
  if (self->password != NULL)
    {
      set_value (self->password_label, _("Password"), self->password);
      gtk_widget_add_css_class (GTK_WIDGET (self->password_label), "monospace");
      gtk_widget_remove_css_class (GTK_WIDGET (self->password_label), "ows-no-password");
    }
  else
    {
      set_value (self->password_label, _("Password"), _("No password"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->password_label), "monospace");
      gtk_widget_add_css_class (GTK_WIDGET (self->password_label), "ows-no-password");
    }
}

/* Step 2, with the address in bold: the person may have to type it. */
static void
update_step_open (OwsPhonePage *self)
{
  g_autofree char *text = NULL;
  PangoAttrList *attrs = pango_attr_list_new ();
  const char *at;

  if (self->url == NULL || self->url[0] == '\0')
    {
      gtk_label_set_text (self->step_open, _("A page opens by itself on the phone."));
      gtk_label_set_attributes (self->step_open, NULL);
      pango_attr_list_unref (attrs);
      return;
    }
  /* Translators: %s is the address of the setup page, e.g. http://10.42.0.1/ */
  text = g_strdup_printf (_("A page opens by itself. If it does not, open %s in the phone’s browser."),
                          self->url);
  at = strstr (text, self->url);
  if (at != NULL)
    {
      PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

      bold->start_index = at - text;
      bold->end_index = bold->start_index + strlen (self->url);
      pango_attr_list_insert (attrs, bold);
    }
  gtk_label_set_text (self->step_open, text);
  gtk_label_set_attributes (self->step_open, attrs);
  pango_attr_list_unref (attrs);
}

/* Side by side, the code on the start side and the steps beside it; or
 * the code above the steps. */
static void
place_children (OwsPhonePage *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->hotspot_box),
                                  self->wide ? GTK_ORIENTATION_HORIZONTAL
                                             : GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_halign (GTK_WIDGET (self->hotspot_box), self->wide ? GTK_ALIGN_CENTER
                                                                    : GTK_ALIGN_FILL);
  gtk_widget_set_halign (self->steps, self->wide ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  gtk_box_set_spacing (self->hotspot_box, self->wide ? 24 : 12);
}

/* GtkWidget: the child's size, as AdwBin's GtkBinLayout would, but with
 * size_allocate our own (a layout manager would bypass it). */

static GtkSizeRequestMode
ows_phone_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
ows_phone_page_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

/* No AdwBreakpoint on libadwaita 1.2: the orientation follows the width
 * before the child is allocated, as the network page's forms do. */
static void
ows_phone_page_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  OwsPhonePage *self = OWS_PHONE_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean wide = width >= WIDE_WIDTH && width >= height;

  if (wide != self->wide)
    {
      self->wide = wide;
      place_children (self);
    }
  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

/* GObject */

static void
ows_phone_page_finalize (GObject *object)
{
  OwsPhonePage *self = OWS_PHONE_PAGE (object);

  g_free (self->ssid);
  g_free (self->password);
  g_free (self->url);
  G_OBJECT_CLASS (ows_phone_page_parent_class)->finalize (object);
}

static void
ows_phone_page_class_init (OwsPhonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ows_phone_page_finalize;
  widget_class->get_request_mode = ows_phone_page_get_request_mode;
  widget_class->measure = ows_phone_page_measure;
  widget_class->size_allocate = ows_phone_page_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-phone-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, views);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, hotspot_box);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, steps);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, retry_label);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, connecting_title);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, step_join);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, step_open);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, ssid_label);
  gtk_widget_class_bind_template_child (widget_class, OwsPhonePage, password_label);
}

static void
ows_phone_page_init (OwsPhonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* size_allocate is ours: AdwBin's layout manager would bypass it. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  ows_a11y_name_buttons_by_content (GTK_WIDGET (self));
  /* A long name or password wraps inside a word: Pango would show a hyphen
   * there, which a person would then type. */
  {
    PangoAttrList *attributes = pango_attr_list_new ();

    pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->ssid_label, attributes);
    gtk_label_set_attributes (self->password_label, attributes);
    pango_attr_list_unref (attributes);
  }

#if HAVE_QRENCODE
  self->qr = ows_qr_code_new ();
  gtk_widget_set_halign (self->qr, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->qr, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->qr, FALSE);
  gtk_box_prepend (self->hotspot_box, self->qr);
  gtk_label_set_text (self->step_join,
                      _("On your phone, join the Wi-Fi network below (or scan the code with the camera)."));
#else
  gtk_label_set_text (self->step_join, _("On your phone, join the Wi-Fi network below."));
#endif
  self->status = OWS_PHONE_PAGE_PREPARING;
  self->wide = TRUE;
  place_children (self);
  set_value (self->ssid_label, _("Network name"), "");
  update_password (self);
  update_step_open (self);
  gtk_stack_set_visible_child_name (self->views, view_for (self->status));
}

GtkWidget *
ows_phone_page_new (void)
{
  return g_object_new (OWS_TYPE_PHONE_PAGE, NULL);
}

/**
 * ows_phone_page_set_hotspot:
 * @ssid: the hotspot's name
 * @password: (nullable): its password; %NULL (or "") for an open hotspot
 * @url: (nullable): the address of the page it serves, e.g. "http://10.42.0.1/"
 */
void
ows_phone_page_set_hotspot (OwsPhonePage *self,
                            const char   *ssid,
                            const char   *password,
                            const char   *url)
{
  g_return_if_fail (OWS_IS_PHONE_PAGE (self));
  g_return_if_fail (ssid != NULL);

  g_free (self->ssid);
  self->ssid = g_strdup (ssid);
  g_free (self->password);
  self->password = password != NULL && password[0] != '\0' ? g_strdup (password) : NULL;
  g_free (self->url);
  self->url = g_strdup (url);

  set_value (self->ssid_label, _("Network name"), self->ssid);
  update_password (self);
  update_step_open (self);
  update_qr (self);
}

/**
 * ows_phone_page_set_status:
 * @sentence: (nullable): for %OWS_PHONE_PAGE_RETRY, why the last network
 *   failed; for %OWS_PHONE_PAGE_CONNECTING, the network's name; else %NULL
 */
void
ows_phone_page_set_status (OwsPhonePage       *self,
                           OwsPhonePageStatus  status,
                           const char         *sentence)
{
  gboolean retry = status == OWS_PHONE_PAGE_RETRY && sentence != NULL && sentence[0] != '\0';

  g_return_if_fail (OWS_IS_PHONE_PAGE (self));
  g_return_if_fail (status >= OWS_PHONE_PAGE_PREPARING && status <= OWS_PHONE_PAGE_RETRY);

  g_debug ("Status %d", status);
  self->status = status;
  gtk_label_set_text (self->retry_label, retry ? sentence : "");
  gtk_widget_set_visible (GTK_WIDGET (self->retry_label), retry);
  if (status == OWS_PHONE_PAGE_CONNECTING)
    {
      g_autofree char *title = NULL;

      if (sentence != NULL && sentence[0] != '\0')
        /* Translators: %s is the name of the home network the person chose. */
        title = g_strdup_printf (_("Connecting to “%s”…"), sentence);
      gtk_label_set_text (self->connecting_title, title != NULL ? title : _("Connecting…"));
    }
  gtk_stack_set_visible_child_name (self->views, view_for (status));
}
