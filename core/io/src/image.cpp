// SPDX-License-Identifier: GPL-3.0-or-later
// PNG/JPEG decoding and image fitting; see image.h.
#include "quant/io/image.h"

#include <jpeglib.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <vector>

#include "quant/io/tensorio_detail.h"

namespace quant {

namespace {

using detail::fail;

std::string sizeText(std::int64_t c, std::int64_t h, std::int64_t w) {
  return "[" + std::to_string(c) + ", " + std::to_string(h) + ", " + std::to_string(w) + "]";
}

void checkPixels(std::uint64_t w, std::uint64_t h, const std::string& where) {
  if (w == 0 || h == 0)
    fail(where, "image of " + std::to_string(w) + " x " + std::to_string(h) + " pixels is empty");
  if (w * h > static_cast<std::uint64_t>(kMaxImagePixels)) {
    fail(where, "image of " + std::to_string(w) + " x " + std::to_string(h) +
                    " pixels is larger than the limit of " + std::to_string(kMaxImagePixels));
  }
}

// Interleaved 8-bit pixels [h, w, c] -> float [c, h, w].
Tensor planar(const std::vector<std::uint8_t>& px, std::int64_t c, std::int64_t h, std::int64_t w) {
  Tensor t;
  t.dtype = "uint8";
  t.shape = {c, h, w};
  t.data.resize(static_cast<std::size_t>(c * h * w));
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x)
      for (std::int64_t k = 0; k < c; ++k)
        t.data[static_cast<std::size_t>((k * h + y) * w + x)] =
            px[static_cast<std::size_t>((y * w + x) * c + k)];
  return t;
}

Tensor decodePng(std::span<const std::uint8_t> bytes, const std::string& where) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&img, bytes.data(), bytes.size())) {
    const std::string msg = img.message;
    png_image_free(&img);
    fail(where, "corrupt PNG: " + msg);
  }
  checkPixels(img.width, img.height, where);
  const bool grey = (img.format & PNG_FORMAT_FLAG_COLOR) == 0;
  img.format = grey ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  const std::int64_t c = grey ? 1 : 3;
  std::vector<std::uint8_t> px(PNG_IMAGE_SIZE(img));
  // A null background composites alpha on black; PNG_FORMAT_GRAY/RGB have no alpha channel.
  if (!png_image_finish_read(&img, nullptr, px.data(), 0, nullptr)) {
    const std::string msg = img.message;
    png_image_free(&img);
    fail(where, "corrupt PNG: " + msg);
  }
  return planar(px, c, img.height, img.width);
}

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpegQuiet(j_common_ptr, int) {}

// Every object with a destructor lives outside the setjmp/longjmp region (decodeJpeg), so a
// longjmp skips no destructor.
bool jpegDecode(std::span<const std::uint8_t> bytes, std::vector<std::uint8_t>* px, JDIMENSION* w,
                JDIMENSION* h, int* c, JpegError* err, const std::string& where) {
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->mgr);
  err->mgr.error_exit = jpegErrorExit;
  err->mgr.emit_message = jpegQuiet;
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  const bool grey = cinfo.num_components == 1;
  cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  if (cinfo.image_width == 0 || cinfo.image_height == 0 ||
      std::uint64_t{cinfo.image_width} * cinfo.image_height >
          static_cast<std::uint64_t>(kMaxImagePixels)) {
    *w = cinfo.image_width, *h = cinfo.image_height;
    jpeg_destroy_decompress(&cinfo);
    checkPixels(*w, *h, where);  // throws: no setjmp frame below this point
  }
  jpeg_start_decompress(&cinfo);
  *w = cinfo.output_width, *h = cinfo.output_height, *c = cinfo.output_components;
  const std::size_t row = static_cast<std::size_t>(*w) * static_cast<std::size_t>(*c);
  // Resized before any row is read; a longjmp out of jpeg_read_scanlines leaves it intact.
  px->assign(row * *h, 0);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW r = px->data() + row * cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

Tensor decodeJpeg(std::span<const std::uint8_t> bytes, const std::string& where) {
  std::vector<std::uint8_t> px;
  JDIMENSION w = 0, h = 0;
  int c = 0;
  JpegError err{};
  if (!jpegDecode(bytes, &px, &w, &h, &c, &err, where))
    fail(where, std::string("corrupt JPEG: ") + err.message);
  if (c != 1 && c != 3) fail(where, "JPEG with " + std::to_string(c) + " components");
  return planar(px, c, h, w);
}

// Where output pixel `o` of `n` samples the source axis of `size` pixels whose window
// [start, start + span) the output covers: the two neighbouring source pixels and the weight of
// the second, at pixel centres, clamped to the edges.
struct Tap {
  std::int64_t i0, i1;
  double t;
};
Tap tapOf(std::int64_t o, std::int64_t n, double start, double span, std::int64_t size) {
  const double f =
      std::clamp(start + (static_cast<double>(o) + 0.5) * span / static_cast<double>(n) - 0.5, 0.0,
                 static_cast<double>(size - 1));
  const auto i = static_cast<std::int64_t>(f);
  return {i, std::min(i + 1, size - 1), f - static_cast<double>(i)};
}

// Bilinear resampling of plane `src` (h x w) onto oh x ow pixels covering the source window
// [y0, y0 + sh) x [x0, x0 + sw).
void resizePlane(const float* src, std::int64_t h, std::int64_t w, double y0, double x0, double sh,
                 double sw, float* dst, std::int64_t oh, std::int64_t ow) {
  for (std::int64_t oy = 0; oy < oh; ++oy) {
    const Tap y = tapOf(oy, oh, y0, sh, h);
    for (std::int64_t ox = 0; ox < ow; ++ox) {
      const Tap x = tapOf(ox, ow, x0, sw, w);
      const double top = src[y.i0 * w + x.i0] * (1 - x.t) + src[y.i0 * w + x.i1] * x.t;
      const double bottom = src[y.i1 * w + x.i0] * (1 - x.t) + src[y.i1 * w + x.i1] * x.t;
      dst[oy * ow + ox] = static_cast<float>(top * (1 - y.t) + bottom * y.t);
    }
  }
}

}  // namespace

Tensor decodeImage(std::span<const std::uint8_t> bytes, const std::string& where) {
  static constexpr std::uint8_t kPng[] = {0x89, 'P', 'N', 'G'};
  if (bytes.size() >= 4 && std::equal(kPng, kPng + 4, bytes.begin()))
    return decodePng(bytes, where);
  if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff)
    return decodeJpeg(bytes, where);
  fail(where, "not a PNG or JPEG image (unknown magic bytes)");
}

Tensor loadImage(const std::string& path) {
  detail::FileInput in(path);
  if (in.size() > (std::uint64_t{1} << 30)) fail(path, "image file larger than 1 GiB");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.size()));
  in.readAt(0, bytes.data(), bytes.size());
  return decodeImage(bytes, path);
}

ImageFit parseImageFit(const std::string& text) {
  if (text == "exact") return ImageFit::Exact;
  if (text == "stretch") return ImageFit::Stretch;
  if (text == "crop") return ImageFit::Crop;
  throw Error("image fit '" + text + "' is not exact, stretch or crop");
}

const char* imageFitName(ImageFit fit) {
  switch (fit) {
    case ImageFit::Exact:
      return "exact";
    case ImageFit::Stretch:
      return "stretch";
    case ImageFit::Crop:
      return "crop";
  }
  return "?";
}

Tensor fitImage(const Tensor& image, std::int64_t channels, std::int64_t height, std::int64_t width,
                ImageFit fit, const std::string& where) {
  if (image.shape.size() != 3)
    fail(where, "expected an image [C, H, W], got " + image.shapeString());
  const std::int64_t c = image.shape[0], h = image.shape[1], w = image.shape[2];
  if (c == channels && h == height && w == width) return image;
  if (c != 1 && c != 3) fail(where, "an image of " + std::to_string(c) + " channels (1 or 3 only)");
  if (channels != 1 && channels != 3) {
    fail(where, "image " + sizeText(c, h, w) + " cannot feed a model input of " +
                    std::to_string(channels) + " channels (1 or 3 only)");
  }
  if (fit == ImageFit::Exact && (h != height || w != width)) {
    fail(where, "image " + sizeText(c, h, w) + " is not the model's " + std::to_string(height) +
                    " x " + std::to_string(width) + " (choose a fit: stretch or crop)");
  }
  const std::size_t plane = static_cast<std::size_t>(h * w);
  // Channels first, at the source size.
  std::vector<float> src;
  if (c == channels) {
    src = image.data;
  } else if (channels == 3) {
    src.reserve(3 * plane);
    for (int k = 0; k < 3; ++k) src.insert(src.end(), image.data.begin(), image.data.end());
  } else {
    src.resize(plane);
    for (std::size_t i = 0; i < plane; ++i)
      src[i] = static_cast<float>(0.299 * image.data[i] + 0.587 * image.data[plane + i] +
                                  0.114 * image.data[2 * plane + i]);
  }
  Tensor out;
  out.dtype = image.dtype;
  out.shape = {channels, height, width};
  if (h == height && w == width) {
    out.data = std::move(src);
    return out;
  }
  double y0 = 0, x0 = 0, sh = static_cast<double>(h), sw = static_cast<double>(w);
  if (fit == ImageFit::Crop) {
    // The source window with the output's aspect ratio, as large as fits, centred.
    const double scale = std::min(static_cast<double>(h) / static_cast<double>(height),
                                  static_cast<double>(w) / static_cast<double>(width));
    sh = scale * static_cast<double>(height);
    sw = scale * static_cast<double>(width);
    y0 = (static_cast<double>(h) - sh) / 2;
    x0 = (static_cast<double>(w) - sw) / 2;
  }
  out.data.resize(static_cast<std::size_t>(channels * height * width));
  for (std::int64_t k = 0; k < channels; ++k)
    resizePlane(src.data() + k * static_cast<std::int64_t>(plane), h, w, y0, x0, sh, sw,
                out.data.data() + k * height * width, height, width);
  return out;
}

}  // namespace quant
