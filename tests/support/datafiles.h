// SPDX-License-Identifier: GPL-3.0-or-later
// Writers of the files user data sets come in, for tests: .npy of any numpy dtype, zip (.npz),
// PNG (libpng) and JPEG (libjpeg-turbo) held in memory.
#pragma once

#include <jpeglib.h>
#include <png.h>
#include <zip.h>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace quantlab::testing {

// A version 1.0 .npy: `descr` as numpy writes it ('<f4', '<i8', '|u1', ...), C order, `data` the
// raw little-endian values.
inline QByteArray npyBytes(const std::string& descr, const std::vector<long long>& shape,
                           const QByteArray& data) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i)
    dict += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
  dict += "), }";
  const std::size_t total = (10 + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - 10 - dict.size() - 1, ' ');
  dict += '\n';
  QByteArray out("\x93NUMPY\x01\x00", 8);
  out.append(char(dict.size() & 0xff)).append(char(dict.size() >> 8));
  return out + QByteArray::fromStdString(dict) + data;
}

template <typename T>
QByteArray rawBytes(const std::vector<T>& v) {
  return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size() * sizeof(T)));
}

// Creates a zip with libzip; members are stored or deflated.
inline bool makeZip(const QString& path, const QList<QPair<QByteArray, QByteArray>>& members,
                    bool deflate) {
  int err = 0;
  zip_t* z = zip_open(path.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) return false;
  for (const auto& [name, bytes] : members) {
    // libzip reads the buffer at zip_close(); keep a copy it owns (freep = 1).
    void* copy = std::malloc(std::size_t(std::max<qsizetype>(bytes.size(), 1)));
    std::memcpy(copy, bytes.constData(), std::size_t(bytes.size()));
    zip_source_t* src = zip_source_buffer(z, copy, zip_uint64_t(bytes.size()), 1);
    const zip_int64_t idx = zip_file_add(z, name.constData(), src, ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(src);
      zip_discard(z);
      return false;
    }
    zip_set_file_compression(z, zip_uint64_t(idx), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
  }
  return zip_close(z) == 0;
}

// n random 8-bit images [n, C, H, W] as `x` of a .npz at `path`, with random labels `y` (int64,
// 0..classes-1) unless classes is 0. The same seed gives the same file.
inline bool writeRandomImagesNpz(const QString& path, long long n, long long c, long long h,
                                 long long w, int classes, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<unsigned char> x(static_cast<std::size_t>(n * c * h * w));
  for (auto& v : x) v = static_cast<unsigned char>(rng() % 256);
  QList<QPair<QByteArray, QByteArray>> members{
      {"x.npy", npyBytes("|u1", {n, c, h, w}, rawBytes(x))}};
  if (classes > 0) {
    std::vector<long long> y(static_cast<std::size_t>(n));
    for (auto& v : y) v = static_cast<long long>(rng() % static_cast<unsigned>(classes));
    members.append({"y.npy", npyBytes("<i8", {n}, rawBytes(y))});
  }
  return makeZip(path, members, true);
}

// An 8-bit PNG of interleaved pixels (channels 1 or 3).
inline QByteArray pngBytes(int width, int height, int channels,
                           const std::vector<unsigned char>& pixels) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  img.width = png_uint_32(width);
  img.height = png_uint_32(height);
  img.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&img, nullptr, &size, 0, pixels.data(), 0, nullptr)) return {};
  QByteArray out(qsizetype(size), '\0');
  if (!png_image_write_to_memory(&img, out.data(), &size, 0, pixels.data(), 0, nullptr)) return {};
  out.resize(qsizetype(size));
  return out;
}

// A baseline JPEG (quality 95) of interleaved pixels (channels 1 or 3).
inline QByteArray jpegBytes(int width, int height, int channels,
                            const std::vector<unsigned char>& pixels) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = JDIMENSION(width);
  c.image_height = JDIMENSION(height);
  c.input_components = channels;
  c.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 95, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<unsigned char*>(pixels.data()) +
                   std::size_t(c.next_scanline) * std::size_t(width * channels);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  QByteArray out(reinterpret_cast<const char*>(buf), qsizetype(size));
  std::free(buf);
  return out;
}

}  // namespace quantlab::testing
