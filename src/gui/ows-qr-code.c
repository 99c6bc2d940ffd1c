/* ows-qr-code.c: a QR code of a string, drawn black on white; and the Wi-Fi join string.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The text is usually a hotspot's WIFI: string, with its password in it: it
 * is never logged, and never the accessible name or description.
 *
 * Always black on white, in a dark style too: phone scanners look for dark
 * modules on a light ground, with a light quiet zone of four modules around.
 * Each module is a whole number of pixels, so that edges stay sharp.
 */
#define G_LOG_DOMAIN "ows-qr-code"

#include "config.h"

#include <glib/gi18n.h>
#include <qrencode.h>
#include <string.h>

#include "ows-qr-code.h"

/* Modules of white around the code (ISO/IEC 18004: at least four). */
#define QUIET_ZONE 4
#define MIN_PX_PER_MODULE 4
#define NATURAL_PX_PER_MODULE 8

struct _OwsQrCode
{
  GtkWidget parent_instance;

  char *text;
  QRcode *code;  /* NULL: nothing to show */
};

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (OwsQrCode, ows_qr_code, GTK_TYPE_WIDGET)

static void
encode (OwsQrCode *self)
{
  g_clear_pointer (&self->code, QRcode_free);
  if (self->text == NULL || self->text[0] == '\0')
    return;
  /* Version 0: the smallest that holds the text. */
  self->code = QRcode_encodeString8bit (self->text, 0, QR_ECLEVEL_M);
  if (self->code == NULL)
    g_warning ("Cannot encode %zu bytes in a QR code", strlen (self->text));
}

/* Modules across, quiet zone included; 0 when there is nothing to show. */
static int
side_in_modules (OwsQrCode *self)
{
  return self->code != NULL ? self->code->width + 2 * QUIET_ZONE : 0;
}

static GtkSizeRequestMode
ows_qr_code_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
ows_qr_code_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  int modules = side_in_modules (OWS_QR_CODE (widget));

  *minimum = modules * MIN_PX_PER_MODULE;
  *natural = modules * NATURAL_PX_PER_MODULE;
}

static void
ows_qr_code_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  OwsQrCode *self = OWS_QR_CODE (widget);
  static const GdkRGBA white = { 1, 1, 1, 1 }, black = { 0, 0, 0, 1 };
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int modules = side_in_modules (self);
  int px, side, x0, y0, n;

  if (modules == 0)
    return;
  px = MAX (1, MIN (width, height) / modules);
  side = modules * px;
  x0 = (width - side) / 2;
  y0 = (height - side) / 2;
  n = self->code->width;

  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x0, y0, side, side));
  x0 += QUIET_ZONE * px;
  y0 += QUIET_ZONE * px;
  /* One rectangle per run of dark modules in a row: bit 0 is dark. */
  for (int row = 0; row < n; row++)
    {
      const unsigned char *data = self->code->data + row * n;

      for (int col = 0; col < n; col++)
        {
          int start = col;

          if (!(data[col] & 1))
            continue;
          while (col + 1 < n && (data[col + 1] & 1))
            col++;
          gtk_snapshot_append_color (snapshot, &black,
                                     &GRAPHENE_RECT_INIT (x0 + start * px, y0 + row * px,
                                                          (col - start + 1) * px, px));
        }
    }
}

static void
ows_qr_code_finalize (GObject *object)
{
  OwsQrCode *self = OWS_QR_CODE (object);

  g_clear_pointer (&self->code, QRcode_free);
  g_clear_pointer (&self->text, g_free);
  G_OBJECT_CLASS (ows_qr_code_parent_class)->finalize (object);
}

static void
ows_qr_code_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OwsQrCode *self = OWS_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_qr_code_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OwsQrCode *self = OWS_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      ows_qr_code_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_qr_code_class_init (OwsQrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ows_qr_code_finalize;
  object_class->get_property = ows_qr_code_get_property;
  object_class->set_property = ows_qr_code_set_property;
  widget_class->get_request_mode = ows_qr_code_get_request_mode;
  widget_class->measure = ows_qr_code_measure;
  widget_class->snapshot = ows_qr_code_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qr-code");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ows_qr_code_init (OwsQrCode *self)
{
  /* The code's text holds the password: screen readers hear what it is for. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code to join the Wi-Fi network"),
                                  -1);
}

GtkWidget *
ows_qr_code_new (void)
{
  return g_object_new (OWS_TYPE_QR_CODE, NULL);
}

const char *
ows_qr_code_get_text (OwsQrCode *self)
{
  g_return_val_if_fail (OWS_IS_QR_CODE (self), NULL);

  return self->text;
}

void
ows_qr_code_set_text (OwsQrCode  *self,
                      const char *text)
{
  g_return_if_fail (OWS_IS_QR_CODE (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  encode (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/* The ZXing/Android form escapes these with a backslash. */
static void
append_escaped (GString    *string,
                const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (strchr ("\\;,:\"", *p) != NULL)
        g_string_append_c (string, '\\');
      g_string_append_c (string, *p);
    }
}

/**
 * ows_qr_code_wifi_text:
 * @ssid: the network's name
 * @password: (nullable): its WPA password; %NULL or "" for an open network
 * @hidden: whether the network hides its name
 *
 * Returns: (transfer full): the string a phone's camera joins the network from,
 *   `WIFI:T:WPA;S:name;P:password;;`
 */
char *
ows_qr_code_wifi_text (const char *ssid,
                       const char *password,
                       gboolean    hidden)
{
  GString *string;
  gboolean open = password == NULL || password[0] == '\0';

  g_return_val_if_fail (ssid != NULL, NULL);

  string = g_string_new (open ? "WIFI:T:nopass;S:" : "WIFI:T:WPA;S:");
  append_escaped (string, ssid);
  g_string_append_c (string, ';');
  if (!open)
    {
      g_string_append (string, "P:");
      append_escaped (string, password);
      g_string_append_c (string, ';');
    }
  if (hidden)
    g_string_append (string, "H:true;");
  g_string_append_c (string, ';');
  return g_string_free (string, FALSE);
}
