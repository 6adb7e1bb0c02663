<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>QObject</name>
    <message>
        <source>n/a</source>
        <translation>không có</translation>
    </message>
    <message>
        <source>+inf dB</source>
        <translation>+inf dB</translation>
    </message>
    <message>
        <source>-inf dB</source>
        <translation>-inf dB</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>%1%2 dB</source>
        <translation>%1%2 dB</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>per tensor</source>
        <translation>theo tensor</translation>
    </message>
    <message>
        <source>per channel</source>
        <translation>theo kênh</translation>
    </message>
    <message>
        <source>per group</source>
        <translation>theo nhóm</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: không thể ghi: %2</translation>
    </message>
    <message>
        <source>%1: write failed: %2</source>
        <translation>%1: ghi không thành công: %2</translation>
    </message>
    <message>
        <source>%1: cannot save: %2</source>
        <translation>%1: không thể lưu: %2</translation>
    </message>
    <message>
        <source>%1: nothing to export</source>
        <translation>%1: không có gì để xuất</translation>
    </message>
    <message>
        <source>%1: could not render the view</source>
        <translation>%1: không thể kết xuất khung nhìn</translation>
    </message>
    <message>
        <source>Exported from QuantLab</source>
        <translation>Xuất từ QuantLab</translation>
    </message>
    <message>
        <source>%1: could not start the SVG</source>
        <translation>%1: không thể bắt đầu tạo tệp SVG</translation>
    </message>
    <message>
        <source>The “%1” view is not part of this build yet; the step reads fine without it.</source>
        <translation>Khung nhìn “%1” chưa có trong bản dựng này; bạn vẫn có thể đọc bước này bình thường mà không cần nó.</translation>
    </message>
    <message>
        <source>lesson values</source>
        <translation>giá trị của bài học</translation>
    </message>
    <message>
        <source>%1 (lesson)</source>
        <translation>%1 (bài học)</translation>
    </message>
    <message>
        <source>Lesson step</source>
        <translation>Bước bài học</translation>
    </message>
    <message>
        <source>The model workspace is not available in this build, so the “%1” model is not opened.</source>
        <translation>Bản dựng này không có không gian làm việc với mô hình, nên mô hình “%1” không được mở.</translation>
    </message>
    <message>
        <source>Select the layer “%1” in the model view.</source>
        <translation>Hãy chọn lớp “%1” trong khung nhìn mô hình.</translation>
    </message>
    <message>
        <source>Skipped “%1”: %2</source>
        <translation>Đã bỏ qua “%1”: %2</translation>
    </message>
    <message>
        <source>Number formats</source>
        <translation>Định dạng số</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>Histogram</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>Ánh xạ</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>Theo kênh</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Sai số</translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos; (expected window, %2)</source>
        <translation>khung nhìn không xác định &apos;%1&apos; (giá trị hợp lệ: window, %2)</translation>
    </message>
    <message>
        <source>--snapshot needs an output file (-o out.png)</source>
        <translation>--snapshot cần một tệp đầu ra (-o out.png)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>unknown scheme &apos;%1&apos; (expected symmetric or asymmetric)</source>
        <translation>sơ đồ không xác định &apos;%1&apos; (giá trị hợp lệ: symmetric hoặc asymmetric)</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Dòng lệnh</translation>
    </message>
    <message>
        <source>Model layers</source>
        <translation>Các lớp của mô hình</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Đo hiệu năng</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>Dự đoán</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>Độ nhạy</translation>
    </message>
    <message>
        <source>Requantization</source>
        <translation>Lượng hóa lại</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>too large for a session file</source>
        <translation>quá lớn để lưu vào tệp phiên</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>mẫu</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Mở phiên</translation>
    </message>
    <message>
        <source>QAT</source>
        <translation>QAT</translation>
    </message>
</context>
<context>
    <name>SlotLabel</name>
    <message>
        <source>channel %1</source>
        <translation>kênh %1</translation>
    </message>
    <message>
        <source>group %1</source>
        <translation>nhóm %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n of %2 channels have fewer than %3 values, so they use min-max</source>
        <translation>
            <numerusform>%1: %n trong %2 kênh có ít hơn %3 giá trị nên dùng min-max</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n of %2 groups have fewer than %3 values, so they use min-max</source>
        <translation>
            <numerusform>%1: %n trong %2 nhóm có ít hơn %3 giá trị nên dùng min-max</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Learn and inspect neural-network quantization.</source>
        <translation>Học và khảo sát lượng hóa mạng nơ-ron.</translation>
    </message>
    <message>
        <source>Tensor to open: FILE or FILE:NAME (.npy, .npz, .safetensors, .csv).</source>
        <translation>Tensor cần mở: FILE hoặc FILE:NAME (.npy, .npz, .safetensors, .csv).</translation>
    </message>
    <message>
        <source>Snapshot output (.png).</source>
        <translation>Tệp đầu ra của ảnh chụp (.png).</translation>
    </message>
    <message>
        <source>Bit width (2-16).</source>
        <translation>Số bit (2-16).</translation>
    </message>
    <message>
        <source>symmetric or asymmetric.</source>
        <translation>symmetric (đối xứng) hoặc asymmetric (bất đối xứng).</translation>
    </message>
    <message>
        <source>Unsigned integer codes.</source>
        <translation>Dùng mã số nguyên không dấu.</translation>
    </message>
    <message>
        <source>tensor, channel:AXIS or group:AXIS:SIZE.</source>
        <translation>tensor, channel:AXIS hoặc group:AXIS:SIZE.</translation>
    </message>
    <message>
        <source>minmax, moving-average, percentile:P, percentile-abs:P, mse, entropy or histogram.</source>
        <translation>minmax, moving-average, percentile:P, percentile-abs:P, mse, entropy hoặc histogram.</translation>
    </message>
    <message>
        <source>Snapshot size in pixels, e.g. 1280x720.</source>
        <translation>Kích thước ảnh chụp tính bằng điểm ảnh, ví dụ 1280x720.</translation>
    </message>
    <message>
        <source>expected at most one FILE[:NAME], got %1</source>
        <translation>chỉ được có tối đa một FILE[:NAME], nhưng nhận được %1</translation>
    </message>
    <message>
        <source>-o, --bits, --scheme, --unsigned, --granularity, --calib and --size need --snapshot VIEW</source>
        <translation>-o, --bits, --scheme, --unsigned, --granularity, --calib và --size cần có --snapshot VIEW</translation>
    </message>
    <message>
        <source>--bits must be an integer from 2 to 16, got &apos;%1&apos;</source>
        <translation>--bits phải là số nguyên từ 2 đến 16, nhưng nhận được &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--size must look like 1280x720, got &apos;%1&apos;</source>
        <translation>--size phải có dạng 1280x720, nhưng nhận được &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Interface language: en, es, vi or system (default: the one chosen in View &gt; Language, else the system&apos;s).</source>
        <translation>Ngôn ngữ giao diện: en, es, vi hoặc system (mặc định: ngôn ngữ đã chọn trong Xem &gt; Ngôn ngữ, nếu chưa chọn thì dùng ngôn ngữ của hệ thống).</translation>
    </message>
    <message>
        <source>--language must be en, es, vi or system, got &apos;%1&apos;</source>
        <translation>--language phải là en, es, vi hoặc system, nhưng nhận được &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Render VIEW (%1) to a PNG without showing a window. A model view runs its job first (QAT: 1 epoch on 10000 images).</source>
        <translation>Kết xuất VIEW (%1) ra tệp PNG mà không hiển thị cửa sổ. Khung nhìn mô hình chạy xong tác vụ của nó trước (QAT: 1 epoch trên 10000 ảnh).</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::BenchView</name>
    <message>
        <source>Run benchmark</source>
        <translation>Chạy đo hiệu năng</translation>
    </message>
    <message>
        <source>Latency per layer and end to end</source>
        <translation>Độ trễ của từng lớp và của toàn mô hình</translation>
    </message>
    <message>
        <source>Model size</source>
        <translation>Kích thước mô hình</translation>
    </message>
    <message>
        <source>Images per forward pass. Small batches are dominated by per-call overhead; large batches show the kernels&apos; real throughput.</source>
        <translation>Số ảnh trong mỗi lượt truyền xuôi. Với lô nhỏ, chi phí cố định của mỗi lần gọi chiếm phần lớn thời gian; lô lớn mới cho thấy thông lượng thật của các kernel.</translation>
    </message>
    <message>
        <source>Threads the batch is split over (same for fp32 and int8). More threads than images leaves threads idle.</source>
        <translation>Số luồng dùng để chia lô (như nhau cho fp32 và int8). Nếu số luồng nhiều hơn số ảnh, các luồng thừa sẽ phải ngồi không.</translation>
    </message>
    <message>
        <source>Timed runs after one warm-up run. The view shows the median, which ignores the odd run slowed down by something else on the machine.</source>
        <translation>Số lần chạy được đo thời gian, sau một lần chạy khởi động. Khung nhìn hiển thị giá trị trung vị, nhờ đó bỏ qua những lần chạy thỉnh thoảng bị chậm đi vì một tác vụ khác trên máy.</translation>
    </message>
    <message>
        <source>Time fp32 and int8 on the same test images, in the background.</source>
        <translation>Đo thời gian fp32 và int8 trên cùng các ảnh kiểm tra, chạy ở chế độ nền.</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lô</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Luồng</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Số lần lặp</translation>
    </message>
    <message>
        <source>ISA: the instruction set of the int8 matrix kernel picked at run time for this CPU (reference = portable C++, avx2, avx512vnni). Speed-up = fp32 time / int8 time, end to end.</source>
        <translation>ISA: tập lệnh của kernel nhân ma trận int8 được chọn lúc chạy cho CPU này (reference = C++ khả chuyển, avx2, avx512vnni). Tăng tốc = thời gian fp32 / thời gian int8, tính cho toàn mô hình.</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Run benchmark&lt;/b&gt; to time fp32 and int8 on this CPU.</source>
        <translation>Nhấn &lt;b&gt;Chạy đo hiệu năng&lt;/b&gt; để đo thời gian fp32 và int8 trên CPU này.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Hãy mở một mô hình trước (khung nhìn Các lớp của mô hình).</translation>
    </message>
    <message>
        <source>&lt;br&gt;Random input images (Fashion-MNIST is not installed).</source>
        <translation>&lt;br&gt;Ảnh đầu vào ngẫu nhiên (chưa cài đặt Fashion-MNIST).</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>end to end</source>
        <translation>toàn mô hình</translation>
    </message>
    <message>
        <source>time per batch (%1)</source>
        <translation>thời gian mỗi lô (%1)</translation>
    </message>
    <message>
        <source>size</source>
        <translation>kích thước</translation>
    </message>
    <message>
        <source>stored bytes (KiB)</source>
        <translation>số byte lưu trữ (KiB)</translation>
    </message>
    <message>
        <source>Model size: ×%1 smaller</source>
        <translation>Kích thước mô hình: nhỏ hơn ×%1</translation>
    </message>
    <message>
        <source>Stored parameters: 4 bytes each in fp32; in int8 1 byte per weight plus int32 biases and the scales / zero points (counted as quantlab-cli eval and bench count them).</source>
        <translation>Tham số lưu trữ: mỗi tham số 4 byte ở fp32; ở int8 là 1 byte mỗi trọng số cộng bias int32 và các hệ số tỉ lệ / điểm không (đếm như quantlab-cli eval và bench đếm).</translation>
    </message>
    <message>
        <source>Share of the attainable peak (roofline)</source>
        <translation>Tỉ lệ so với đỉnh có thể đạt (roofline)</translation>
    </message>
    <message>
        <source>How close each Linear/Conv2d layer came to what this core could do for it. The peaks are measured in the same run by tiny loops of one instruction: the fp32 fused multiply-add and the int8 kernel&apos;s multiply-add, plus the read bandwidth of the L2 and L3 caches and main memory. A layer&apos;s roof is the lower of its peak and its arithmetic intensity (operations per byte it must move) times the bandwidth of the memory that holds it. A low share of a compute roof means the kernel is the limit: a short dot product K, a small matrix, im2col.</source>
        <translation>Mỗi lớp Linear/Conv2d đã tiến gần đến mức nào so với khả năng của lõi này dành cho nó. Các đỉnh được đo ngay trong lần chạy này bằng những vòng lặp nhỏ chỉ gồm một lệnh: phép nhân-cộng hợp nhất fp32 và phép nhân-cộng của kernel int8, cùng băng thông đọc của bộ nhớ đệm L2, L3 và bộ nhớ chính. Mái của một lớp là giá trị nhỏ hơn giữa đỉnh của nó và cường độ số học (số phép tính trên mỗi byte phải di chuyển) nhân với băng thông của vùng nhớ chứa nó. Tỉ lệ thấp so với mái tính toán nghĩa là kernel là giới hạn: tích vô hướng K ngắn, ma trận nhỏ, im2col.</translation>
    </message>
    <message>
        <source>%1 %2 GB/s</source>
        <translation>%1 %2 GB/s</translation>
    </message>
    <message>
        <source>&lt;br&gt;This core&apos;s peaks (measured now): fp32 %1 GFLOPS (%2), int8 %3 GOPS (%4); read bandwidth %5</source>
        <translation>&lt;br&gt;Đỉnh của lõi này (đo ngay bây giờ): fp32 %1 GFLOPS (%2), int8 %3 GOPS (%4); băng thông đọc %5</translation>
    </message>
    <message>
        <source>&lt;br&gt;The layer bars add up to %1% (fp32) and %2% (int8) of the end-to-end time.</source>
        <translation>&lt;br&gt;Các thanh của từng lớp cộng lại bằng %1% (fp32) và %2% (int8) thời gian toàn trình.</translation>
    </message>
    <message>
        <source>quantize input</source>
        <translation>lượng hóa đầu vào</translation>
    </message>
    <message>
        <source>%1 (K %2)</source>
        <translation>%1 (K %2)</translation>
    </message>
    <message>
        <source>% of the attainable peak</source>
        <translation>% của đỉnh có thể đạt</translation>
    </message>
    <message>
        <source>Wall-clock time of each layer for the whole batch, from the timed run whose total is the median, so the bars are parts of one real run. An int8 Linear/Conv2d row includes its fused ReLU; the fp32 row adds the separate ReLU layer&apos;s time.</source>
        <translation>Thời gian thực của mỗi lớp cho cả lô, lấy từ lần chạy được đo có tổng thời gian là trung vị, nên các thanh là các phần của cùng một lần chạy thật. Hàng Linear/Conv2d của int8 đã bao gồm ReLU được hợp nhất vào lớp; hàng fp32 thì cộng thêm thời gian của lớp ReLU riêng.</translation>
    </message>
    <message numerus="yes">
        <source>Kernels fp32 &lt;b&gt;%3&lt;/b&gt;, int8 &lt;b&gt;%1&lt;/b&gt; · batch %2 · %n thread(s) · median of %4 · fp32 %5 %6, int8 %7 %6 · speed-up &lt;b&gt;×%8&lt;/b&gt;</source>
        <translation>
            <numerusform>Kernels fp32 &lt;b&gt;%3&lt;/b&gt;, int8 &lt;b&gt;%1&lt;/b&gt; · lô %2 · %n luồng · trung vị của %4 lần · fp32 %5 %6, int8 %7 %6 · tăng tốc &lt;b&gt;×%8&lt;/b&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>quantlab::ui::BitCellsWidget</name>
    <message>
        <source>Click a bit to flip it. Up/Right steps to the next larger value, Down/Left to the next smaller one (one ULP).</source>
        <translation>Nhấp vào một bit để đảo giá trị của nó. Phím Lên/Phải chuyển sang giá trị lớn hơn kế tiếp, Xuống/Trái sang giá trị nhỏ hơn kế tiếp (một ULP).</translation>
    </message>
    <message>
        <source>sign</source>
        <translation>dấu</translation>
    </message>
    <message>
        <source>exponent</source>
        <translation>số mũ</translation>
    </message>
    <message>
        <source>mantissa</source>
        <translation>phần định trị</translation>
    </message>
    <message>
        <source>the sign bit: 0 = positive, 1 = negative</source>
        <translation>bit dấu: 0 = dương, 1 = âm</translation>
    </message>
    <message>
        <source>exponent bit worth 2^%1 in the biased exponent (bias %2)</source>
        <translation>bit số mũ có giá trị 2^%1 trong số mũ có độ lệch (độ lệch %2)</translation>
    </message>
    <message>
        <source>mantissa bit worth 2^-%1 of the significand</source>
        <translation>bit định trị có giá trị 2^-%1 trong phần định trị đầy đủ</translation>
    </message>
    <message>
        <source>bit %1: %2. Click to flip it.</source>
        <translation>bit %1: %2. Nhấp để đảo bit này.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ControlsPanel</name>
    <message>
        <source>Integer grid</source>
        <translation>Lưới số nguyên</translation>
    </message>
    <message>
        <source> bits</source>
        <translation> bit</translation>
    </message>
    <message>
        <source>Bit width b: the grid has 2^b levels. Every extra bit halves the step size (the scale) and adds about 6 dB of SQNR. Ctrl+Up / Ctrl+Down change it from anywhere.</source>
        <translation>Số bit b: lưới có 2^b mức. Mỗi bit thêm vào chia đôi kích thước bước (hệ số tỉ lệ) và tăng SQNR thêm khoảng 6 dB. Bạn có thể đổi số bit từ bất cứ đâu bằng Ctrl+Up / Ctrl+Down.</translation>
    </message>
    <message>
        <source>The integer codes the grid can use (qmin to qmax).</source>
        <translation>Các mã số nguyên mà lưới có thể dùng (từ qmin đến qmax).</translation>
    </message>
    <message>
        <source>signed (int)</source>
        <translation>có dấu (int)</translation>
    </message>
    <message>
        <source>unsigned (uint)</source>
        <translation>không dấu (uint)</translation>
    </message>
    <message>
        <source>Signed codes run from -2^(b-1) to 2^(b-1)-1 (int8: -128..127); unsigned codes from 0 to 2^b-1 (uint8: 0..255). Unsigned suits ReLU outputs, which are never negative.</source>
        <translation>Mã có dấu chạy từ -2^(b-1) đến 2^(b-1)-1 (int8: -128..127); mã không dấu chạy từ 0 đến 2^b-1 (uint8: 0..255). Mã không dấu phù hợp với đầu ra của ReLU, vốn không bao giờ âm.</translation>
    </message>
    <message>
        <source>symmetric</source>
        <translation>đối xứng</translation>
    </message>
    <message>
        <source>asymmetric (affine)</source>
        <translation>bất đối xứng (affine)</translation>
    </message>
    <message>
        <source>Symmetric: the range is ±max|x| and real 0 maps to code 0 (no zero point to add). Asymmetric: the range is [min, max] and a zero point shifts the grid so it fits lopsided data such as ReLU outputs, at the cost of an extra add.</source>
        <translation>Đối xứng: khoảng là ±max|x| và giá trị thực 0 ứng với mã 0 (không cần cộng điểm không). Bất đối xứng: khoảng là [min, max] và một điểm không dịch lưới cho vừa với dữ liệu lệch về một phía, như đầu ra của ReLU, đổi lại phải tốn thêm một phép cộng.</translation>
    </message>
    <message>
        <source>Narrow range</source>
        <translation>Dải hẹp</translation>
    </message>
    <message>
        <source>Drop the lowest code (int8 becomes -127..127) so the grid is exactly symmetric around zero, as some accelerators require.</source>
        <translation>Bỏ mã thấp nhất (int8 thành -127..127) để lưới đối xứng hoàn toàn quanh 0, như một số bộ tăng tốc phần cứng yêu cầu.</translation>
    </message>
    <message>
        <source>&amp;Bits:</source>
        <translation>Số &amp;bit:</translation>
    </message>
    <message>
        <source>Codes:</source>
        <translation>Mã:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Kiểu:</translation>
    </message>
    <message>
        <source>&amp;Scheme:</source>
        <translation>&amp;Sơ đồ:</translation>
    </message>
    <message>
        <source>Granularity</source>
        <translation>Độ chi tiết</translation>
    </message>
    <message>
        <source>How many scales the tensor gets. Per tensor: one scale for everything, so one outlier coarsens the whole grid. Per channel: one scale per slice along the axis (usually the output channels of a weight). Per group: one scale per block of elements along the axis, as in 4-bit LLM weights.</source>
        <translation>Tensor nhận bao nhiêu hệ số tỉ lệ. Theo tensor: một hệ số tỉ lệ cho tất cả, nên chỉ một giá trị ngoại lai cũng làm cả lưới thô đi. Theo kênh: một hệ số tỉ lệ cho mỗi lát cắt dọc theo trục (thường là các kênh đầu ra của trọng số). Theo nhóm: một hệ số tỉ lệ cho mỗi khối phần tử dọc theo trục, như với trọng số 4 bit của các LLM.</translation>
    </message>
    <message>
        <source>The axis whose slices get their own scale (negative counts from the end, as in numpy).</source>
        <translation>Trục mà mỗi lát cắt theo nó có hệ số tỉ lệ riêng (số âm được đếm từ cuối, như trong numpy).</translation>
    </message>
    <message>
        <source>Elements per group along the axis; smaller groups follow the data more closely but store more scales.</source>
        <translation>Số phần tử của mỗi nhóm dọc theo trục; nhóm càng nhỏ càng bám sát dữ liệu nhưng phải lưu nhiều hệ số tỉ lệ hơn.</translation>
    </message>
    <message>
        <source>&amp;Granularity:</source>
        <translation>Độ &amp;chi tiết:</translation>
    </message>
    <message>
        <source>&amp;Axis:</source>
        <translation>T&amp;rục:</translation>
    </message>
    <message>
        <source>Group si&amp;ze:</source>
        <translation>Kích thước &amp;nhóm:</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Hiệu chỉnh</translation>
    </message>
    <message>
        <source>min-max</source>
        <translation>min-max</translation>
    </message>
    <message>
        <source>moving-average min-max</source>
        <translation>min-max trung bình trượt</translation>
    </message>
    <message>
        <source>percentile</source>
        <translation>phân vị</translation>
    </message>
    <message>
        <source>MSE (minimum error)</source>
        <translation>MSE (sai số nhỏ nhất)</translation>
    </message>
    <message>
        <source>entropy (KL, TensorRT)</source>
        <translation>entropy (KL, TensorRT)</translation>
    </message>
    <message>
        <source>histogram L2 (PyTorch)</source>
        <translation>histogram L2 (PyTorch)</translation>
    </message>
    <message>
        <source>How the clipping range is chosen. Min-max keeps every value but lets outliers stretch the grid; percentile, MSE, entropy and histogram L2 clip the rare extremes so the common values get finer steps.</source>
        <translation>Cách chọn khoảng cắt. Min-max giữ lại mọi giá trị nhưng để giá trị ngoại lai kéo giãn lưới; phân vị, MSE, entropy và histogram L2 cắt bỏ các giá trị cực trị hiếm gặp để các giá trị phổ biến có bước mịn hơn.</translation>
    </message>
    <message>
        <source>Keep this share of the values inside the range: 99.99 % clips the 0.01 % most extreme values on each side.</source>
        <translation>Tỉ lệ giá trị được giữ bên trong khoảng: 99.99 % sẽ cắt 0.01 % giá trị cực trị nhất ở mỗi phía.</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Phương pháp:</translation>
    </message>
    <message>
        <source>&amp;Percentile:</source>
        <translation>Phân &amp;vị:</translation>
    </message>
    <message>
        <source>Clipping range</source>
        <translation>Khoảng cắt</translation>
    </message>
    <message>
        <source>Automatic (from calibration)</source>
        <translation>Tự động (theo hiệu chỉnh)</translation>
    </message>
    <message>
        <source>Checked: the calibration method picks the range. Edit the bounds to clip by hand; values outside [low, high] saturate.</source>
        <translation>Khi được chọn: phương pháp hiệu chỉnh chọn khoảng. Hãy sửa các cận để tự cắt bằng tay; các giá trị nằm ngoài [cận dưới, cận trên] bị bão hòa.</translation>
    </message>
    <message>
        <source>Lower clipping bound: smaller values all map to the lowest code.</source>
        <translation>Cận dưới của khoảng cắt: mọi giá trị nhỏ hơn đều ứng với mã thấp nhất.</translation>
    </message>
    <message>
        <source>Upper clipping bound: larger values all map to the highest code.</source>
        <translation>Cận trên của khoảng cắt: mọi giá trị lớn hơn đều ứng với mã cao nhất.</translation>
    </message>
    <message>
        <source>&amp;Low:</source>
        <translation>Cận &amp;dưới:</translation>
    </message>
    <message>
        <source>&amp;High:</source>
        <translation>Cận &amp;trên:</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Có dấu</translation>
    </message>
    <message>
        <source>Unsigned</source>
        <translation>Không dấu</translation>
    </message>
    <message>
        <source>Scheme: %1</source>
        <translation>Sơ đồ: %1</translation>
    </message>
    <message>
        <source>Full range</source>
        <translation>Toàn dải</translation>
    </message>
    <message>
        <source>Bits: %1</source>
        <translation>Số bit: %1</translation>
    </message>
    <message>
        <source>Granularity: %1</source>
        <translation>Độ chi tiết: %1</translation>
    </message>
    <message>
        <source>%1 … %2  (%3 levels)</source>
        <translation>%1 … %2  (%3 mức)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ErrorView</name>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>Signal power over error power, in dB. Higher is better.</source>
        <translation>Công suất tín hiệu chia cho công suất sai số, tính bằng dB. Càng cao càng tốt.</translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio: 20 log10(||x|| / ||x - x_hat||). An ideal b-bit quantizer of a full-scale sine wave reaches about 6.02 b + 1.76 dB (the 1.76 dB belongs to the sine; other signal shapes land elsewhere): every extra bit halves the step and adds about 6 dB.</source>
        <translation>Tỉ số tín hiệu trên nhiễu lượng hóa: 20 log10(||x|| / ||x - x_hat||). Một bộ lượng hóa b bit lý tưởng, với sóng sin phủ toàn thang, đạt khoảng 6.02 b + 1.76 dB (1.76 dB là của sóng sin; tín hiệu có dạng khác cho giá trị khác): mỗi bit thêm vào chia đôi bước và tăng thêm khoảng 6 dB.</translation>
    </message>
    <message>
        <source>RMSE / scale</source>
        <translation>RMSE / hệ số tỉ lệ</translation>
    </message>
    <message>
        <source>Error in grid steps; pure rounding gives 1/sqrt(12) = 0.289.</source>
        <translation>Sai số tính theo số bước lưới; chỉ riêng làm tròn cho 1/sqrt(12) = 0.289.</translation>
    </message>
    <message>
        <source>The root-mean-square error measured in units of the quantization step. Rounding to the nearest level leaves an error spread evenly over [-scale/2, scale/2], whose RMS is scale/sqrt(12). Clipping makes it larger; a perfect fit of the levels to the data makes it smaller.</source>
        <translation>Căn bậc hai của sai số bình phương trung bình, đo bằng đơn vị bước lượng hóa. Làm tròn tới mức gần nhất để lại sai số trải đều trên [-scale/2, scale/2], có RMS bằng scale/sqrt(12). Việc cắt làm nó lớn hơn; các mức khớp hoàn hảo với dữ liệu thì làm nó nhỏ hơn.</translation>
    </message>
    <message>
        <source>Clipped</source>
        <translation>Bị cắt</translation>
    </message>
    <message>
        <source>Share of values outside the clipping range.</source>
        <translation>Tỉ lệ giá trị nằm ngoài khoảng cắt.</translation>
    </message>
    <message>
        <source>Values outside the clipping range are saturated to the first or last code. Their error can be far larger than half a step.</source>
        <translation>Các giá trị nằm ngoài khoảng cắt bị bão hòa về mã đầu tiên hoặc mã cuối cùng. Sai số của chúng có thể lớn hơn nửa bước rất nhiều.</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Mean of the squared error (x - x_hat)^2.</source>
        <translation>Trung bình của bình phương sai số (x - x_hat)^2.</translation>
    </message>
    <message>
        <source>Mean squared error: the average of (x - x_hat)^2. Large errors dominate it.</source>
        <translation>Sai số bình phương trung bình: giá trị trung bình của (x - x_hat)^2. Các sai số lớn chi phối chỉ số này.</translation>
    </message>
    <message>
        <source>RMSE</source>
        <translation>RMSE</translation>
    </message>
    <message>
        <source>Square root of the MSE, in the units of x.</source>
        <translation>Căn bậc hai của MSE, cùng đơn vị với x.</translation>
    </message>
    <message>
        <source>Root-mean-square error: sqrt(MSE), in the same units as the values.</source>
        <translation>Sai số căn quân phương: sqrt(MSE), cùng đơn vị với các giá trị.</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>Mean of |x - x_hat|.</source>
        <translation>Trung bình của |x - x_hat|.</translation>
    </message>
    <message>
        <source>Mean absolute error: the average size of the error, less sensitive to a few large errors than the MSE.</source>
        <translation>Sai số tuyệt đối trung bình: độ lớn trung bình của sai số, ít bị vài sai số lớn chi phối hơn so với MSE.</translation>
    </message>
    <message>
        <source>Max |error|</source>
        <translation>|Sai số| lớn nhất</translation>
    </message>
    <message>
        <source>Worst single value; at most scale/2 unless clipped.</source>
        <translation>Giá trị đơn lẻ tệ nhất; tối đa là scale/2 nếu không bị cắt.</translation>
    </message>
    <message>
        <source>The largest |x - x_hat| over the tensor. Without clipping it cannot exceed half a step (scale/2).</source>
        <translation>|x - x_hat| lớn nhất trên cả tensor. Nếu không có cắt, nó không thể vượt quá nửa bước (scale/2).</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Cosin</translation>
    </message>
    <message>
        <source>Direction agreement of x and x_hat; 1 = same.</source>
        <translation>Mức độ cùng hướng của x và x_hat; 1 = cùng hướng.</translation>
    </message>
    <message>
        <source>Cosine similarity &lt;x, x_hat&gt; / (||x|| ||x_hat||): 1 when the reconstruction points the same way as the original, whatever its length.</source>
        <translation>Độ tương đồng cosin &lt;x, x_hat&gt; / (||x|| ||x_hat||): bằng 1 khi giá trị tái tạo cùng hướng với giá trị gốc, bất kể độ dài của nó.</translation>
    </message>
    <message>
        <source>Normalised L2</source>
        <translation>L2 chuẩn hóa</translation>
    </message>
    <message>
        <source>||x - x_hat|| / ||x||: relative error.</source>
        <translation>||x - x_hat|| / ||x||: sai số tương đối.</translation>
    </message>
    <message>
        <source>The error&apos;s length relative to the signal&apos;s length; SQNR = -20 log10 of it.</source>
        <translation>Độ dài của sai số so với độ dài của tín hiệu; SQNR = -20 log10 của tỉ số này.</translation>
    </message>
    <message>
        <source>Error x - x_hat (dashed: ±scale/2)</source>
        <translation>Sai số x - x_hat (nét đứt: ±scale/2)</translation>
    </message>
    <message>
        <source>error</source>
        <translation>sai số</translation>
    </message>
    <message>
        <source>count (log)</source>
        <translation>số lượng (log)</translation>
    </message>
    <message>
        <source>error histogram</source>
        <translation>histogram sai số</translation>
    </message>
    <message>
        <source>How the error x - x_hat is distributed. Pure rounding gives a flat block between -scale/2 and +scale/2 (dashed lines); clipped values add far-out tails.</source>
        <translation>Sai số x - x_hat phân bố thế nào. Chỉ riêng làm tròn cho một khối phẳng giữa -scale/2 và +scale/2 (các đường nét đứt); các giá trị bị cắt thêm vào những đuôi nằm xa.</translation>
    </message>
    <message>
        <source>Reconstructed vs original</source>
        <translation>Giá trị tái tạo so với giá trị gốc</translation>
    </message>
    <message>
        <source>original x</source>
        <translation>x gốc</translation>
    </message>
    <message>
        <source>x_hat</source>
        <translation>x_hat</translation>
    </message>
    <message>
        <source>values</source>
        <translation>giá trị</translation>
    </message>
    <message>
        <source>y = x (no error)</source>
        <translation>y = x (không có sai số)</translation>
    </message>
    <message>
        <source>Each dot is one value: original on x, reconstruction on y. The staircase shows the quantization levels; flat ends are clipped values.</source>
        <translation>Mỗi chấm là một giá trị: giá trị gốc trên trục x, giá trị tái tạo trên trục y. Hình bậc thang cho thấy các mức lượng hóa; hai đầu nằm ngang là các giá trị bị cắt.</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>không có</translation>
    </message>
    <message>
        <source>Rule of thumb for %2 bits: %1 (6.02 b + 1.76, full-scale sine)</source>
        <translation>Quy tắc kinh nghiệm cho %2 bit: %1 (6.02 b + 1.76, sóng sin toàn thang)</translation>
    </message>
    <message>
        <source>Ideal for pure rounding: %1 (1/sqrt(12))</source>
        <translation>Lý tưởng khi chỉ có làm tròn: %1 (1/sqrt(12))</translation>
    </message>
    <message>
        <source>%1 of %2 values</source>
        <translation>%1 trên %2 giá trị</translation>
    </message>
    <message>
        <source>Error x - x_hat, 1 value in %1 while dragging (dashed: ±scale/2)</source>
        <translation>Sai số x - x_hat, 1 trên %1 giá trị khi đang kéo (nét đứt: ±scale/2)</translation>
    </message>
    <message>
        <source>%1 of %2 values of a sample; the exact pass follows</source>
        <translation>%1 trên %2 giá trị của một mẫu; lượt tính chính xác sẽ theo sau</translation>
    </message>
    <message>
        <source>Error x - x_hat of a sample of %1 values (dashed: ±scale/2)</source>
        <translation>Sai số x - x_hat của một mẫu %1 giá trị (nét đứt: ±scale/2)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::GeneratorDialog</name>
    <message>
        <source>Generate a synthetic tensor</source>
        <translation>Tạo tensor tổng hợp</translation>
    </message>
    <message>
        <source>Normal (Gaussian) — typical weights</source>
        <translation>Chuẩn (Gauss) — trọng số điển hình</translation>
    </message>
    <message>
        <source>Laplace — peaked weights with heavier tails</source>
        <translation>Laplace — trọng số có đỉnh nhọn và đuôi dày hơn</translation>
    </message>
    <message>
        <source>Uniform — every value equally likely</source>
        <translation>Đều — mọi giá trị có khả năng như nhau</translation>
    </message>
    <message>
        <source>Half-normal — positive only</source>
        <translation>Nửa chuẩn — chỉ có giá trị dương</translation>
    </message>
    <message>
        <source>ReLU output — half exact zeros</source>
        <translation>Đầu ra ReLU — một nửa là số 0 đúng</translation>
    </message>
    <message>
        <source>Bimodal — two clusters</source>
        <translation>Hai đỉnh — hai cụm</translation>
    </message>
    <message>
        <source>The shape of the value distribution. Heavy tails and outliers stretch the min-max range, which wastes quantization levels on values that rarely occur.</source>
        <translation>Hình dạng của phân phối giá trị. Đuôi dày và giá trị ngoại lai kéo giãn khoảng min-max, làm lãng phí các mức lượng hóa cho những giá trị hiếm khi xuất hiện.</translation>
    </message>
    <message>
        <source>Dimensions separated by commas or &apos;x&apos;, e.g. 64, 3, 3, 3 for a conv weight (out channels first).</source>
        <translation>Các chiều, phân cách bằng dấu phẩy hoặc &apos;x&apos;, ví dụ 64, 3, 3, 3 cho trọng số tích chập (số kênh đầu ra đứng đầu).</translation>
    </message>
    <message>
        <source>Centre of the distribution.</source>
        <translation>Tâm của phân phối.</translation>
    </message>
    <message>
        <source>Standard deviation (spread).</source>
        <translation>Độ lệch chuẩn (độ phân tán).</translation>
    </message>
    <message>
        <source>Smallest value (inclusive).</source>
        <translation>Giá trị nhỏ nhất (được bao gồm).</translation>
    </message>
    <message>
        <source>Largest value (exclusive).</source>
        <translation>Giá trị lớn nhất (không được bao gồm).</translation>
    </message>
    <message>
        <source>Centre (peak) of the Laplace distribution.</source>
        <translation>Tâm (đỉnh) của phân phối Laplace.</translation>
    </message>
    <message>
        <source>Laplace scale b: the mean absolute distance from the centre.</source>
        <translation>Tham số tỉ lệ b của Laplace: khoảng cách tuyệt đối trung bình tới tâm.</translation>
    </message>
    <message>
        <source>Distance of each mode from the centre (in value units).</source>
        <translation>Khoảng cách từ mỗi đỉnh tới tâm (theo đơn vị giá trị).</translation>
    </message>
    <message>
        <source>How many values are replaced by ±magnitude. A handful of outliers is enough to ruin per-tensor min-max quantization.</source>
        <translation>Số giá trị được thay bằng ±độ lớn. Chỉ vài giá trị ngoại lai là đủ phá hỏng lượng hóa min-max theo tensor.</translation>
    </message>
    <message>
        <source>Absolute value of the outliers.</source>
        <translation>Giá trị tuyệt đối của các giá trị ngoại lai.</translation>
    </message>
    <message>
        <source>The same seed always gives the same tensor, on every machine.</source>
        <translation>Cùng một hạt giống (seed) luôn cho cùng một tensor, trên mọi máy.</translation>
    </message>
    <message>
        <source>A name for the tensor, shown in the status bar.</source>
        <translation>Tên của tensor, hiển thị trên thanh trạng thái.</translation>
    </message>
    <message>
        <source>&amp;Distribution:</source>
        <translation>&amp;Phân phối:</translation>
    </message>
    <message>
        <source>S&amp;hape:</source>
        <translation>&amp;Hình dạng:</translation>
    </message>
    <message>
        <source>&amp;Mean:</source>
        <translation>Trung &amp;bình:</translation>
    </message>
    <message>
        <source>&amp;Std. deviation:</source>
        <translation>Độ &amp;lệch chuẩn:</translation>
    </message>
    <message>
        <source>&amp;Low:</source>
        <translation>Cận &amp;dưới:</translation>
    </message>
    <message>
        <source>&amp;High:</source>
        <translation>&amp;Cận trên:</translation>
    </message>
    <message>
        <source>L&amp;ocation:</source>
        <translation>&amp;Vị trí:</translation>
    </message>
    <message>
        <source>Sc&amp;ale:</source>
        <translation>Tỉ &amp;lệ:</translation>
    </message>
    <message>
        <source>Se&amp;paration:</source>
        <translation>&amp;Khoảng cách:</translation>
    </message>
    <message>
        <source>&amp;Outliers:</source>
        <translation>Số &amp;ngoại lai:</translation>
    </message>
    <message>
        <source>Outlier ma&amp;gnitude:</source>
        <translation>Độ lớn ngoại l&amp;ai:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>Hạt &amp;giống:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Tên:</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>Tạ&amp;o</translation>
    </message>
    <message>
        <source>The shape must be positive integers separated by commas, e.g. 16, 256.</source>
        <translation>Hình dạng phải là các số nguyên dương phân cách bằng dấu phẩy, ví dụ 16, 256.</translation>
    </message>
    <message>
        <source>That shape has too many elements (the limit is %1).</source>
        <translation>Hình dạng này có quá nhiều phần tử (giới hạn là %1).</translation>
    </message>
    <message>
        <source>More outliers than elements.</source>
        <translation>Số giá trị ngoại lai nhiều hơn số phần tử.</translation>
    </message>
    <message>
        <source>High must be larger than low.</source>
        <translation>Cận trên phải lớn hơn cận dưới.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::HistogramView</name>
    <message>
        <source>Value histogram and clipping range</source>
        <translation>Histogram giá trị và khoảng cắt</translation>
    </message>
    <message>
        <source>value</source>
        <translation>giá trị</translation>
    </message>
    <message>
        <source>count</source>
        <translation>số lượng</translation>
    </message>
    <message>
        <source>count (log scale)</source>
        <translation>số lượng (thang log)</translation>
    </message>
    <message>
        <source>histogram</source>
        <translation>histogram</translation>
    </message>
    <message>
        <source>&lt;p&gt;Histogram of the tensor&apos;s values.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Black lines&lt;/b&gt;: the clipping range. Drag them: values outside are clipped to the first / last integer code (shaded tails). A drag is one undo step.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Grey grid&lt;/b&gt;: the values the integer codes dequantize to (scale &amp;times; (q &amp;minus; zero point)); every value is rounded to the nearest one.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Coloured brackets&lt;/b&gt;: the range each calibration method would choose.&lt;/p&gt;&lt;p&gt;Click a bar to inspect its value in the number-format view.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Histogram các giá trị của tensor.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Đường màu đen&lt;/b&gt;: khoảng cắt. Hãy kéo chúng: các giá trị nằm ngoài bị cắt về mã số nguyên đầu tiên / cuối cùng (phần đuôi được tô bóng). Mỗi lần kéo là một bước hoàn tác.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Lưới màu xám&lt;/b&gt;: các giá trị mà các mã số nguyên được giải lượng hóa thành (hệ số tỉ lệ &amp;times; (q &amp;minus; điểm không)); mỗi giá trị được làm tròn tới giá trị gần nhất trong số đó.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dấu ngoặc màu&lt;/b&gt;: khoảng mà mỗi phương pháp hiệu chỉnh sẽ chọn.&lt;/p&gt;&lt;p&gt;Nhấp vào một cột để xem giá trị của nó trong khung nhìn định dạng số.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Log counts</source>
        <translation>Số lượng theo thang log</translation>
    </message>
    <message>
        <source>Show counts on a logarithmic axis, so that rare outliers, which decide the min-max range, stay visible.</source>
        <translation>Hiển thị số lượng trên trục logarit để các giá trị ngoại lai hiếm gặp, vốn quyết định khoảng min-max, vẫn nhìn thấy được.</translation>
    </message>
    <message>
        <source>Fraction of the values that lie outside the clipping range and are saturated to the end codes. Clipping error can be much larger than rounding error.</source>
        <translation>Tỉ lệ các giá trị nằm ngoài khoảng cắt và bị bão hòa về các mã ở hai đầu. Sai số cắt có thể lớn hơn sai số làm tròn rất nhiều.</translation>
    </message>
    <message>
        <source>The grid of representable values: code q maps back to scale &amp;times; (q &amp;minus; zero point).</source>
        <translation>Lưới các giá trị biểu diễn được: mã q được ánh xạ ngược về hệ số tỉ lệ &amp;times; (q &amp;minus; điểm không).</translation>
    </message>
    <message>
        <source>The ranges that each calibration method would choose for this tensor and bit width. Choosing one in the controls makes it the clipping range.</source>
        <translation>Các khoảng mà mỗi phương pháp hiệu chỉnh sẽ chọn cho tensor và số bit này. Chọn một phương pháp trong bảng điều khiển sẽ biến khoảng của nó thành khoảng cắt.</translation>
    </message>
    <message>
        <source>clipped: %1</source>
        <translation>bị cắt: %1</translation>
    </message>
    <message>
        <source>%1 [%2, %3]</source>
        <translation>%1 [%2, %3]</translation>
    </message>
    <message>
        <source>clipped %1</source>
        <translation>bị cắt %1</translation>
    </message>
    <message>
        <source>(computing the calibration ranges…)</source>
        <translation>(đang tính các khoảng hiệu chỉnh…)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 clipped&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 bị cắt&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No quantization grid</source>
        <translation>Không có lưới lượng hóa</translation>
    </message>
    <message>
        <source>Grid: %1 levels in view, step %2%3</source>
        <translation>Lưới: %1 mức trong vùng hiển thị, bước %2%3</translation>
    </message>
    <message>
        <source>Grid: %1 levels in view, 1 in %2 drawn, step %3%4</source>
        <translation>Lưới: %1 mức trong vùng hiển thị, vẽ 1 trên %2 mức, bước %3%4</translation>
    </message>
    <message>
        <source>&lt;b&gt;Error:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Lỗi:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1 clipping limit: %2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Drag to change the range; values beyond it are saturated to the %3 code. One drag is one undo step.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1 của khoảng cắt: %2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Kéo để thay đổi khoảng; các giá trị vượt ra ngoài bị bão hòa về mã %3. Mỗi lần kéo là một bước hoàn tác.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Upper</source>
        <translation>Cận trên</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>Cận dưới</translation>
    </message>
    <message>
        <source>last</source>
        <translation>cuối cùng</translation>
    </message>
    <message>
        <source>first</source>
        <translation>đầu tiên</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1 values&lt;/b&gt; near %2 (bin width %3)&lt;/p&gt;&lt;p&gt;Click to inspect this value in the number-format view.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1 giá trị&lt;/b&gt; gần %2 (độ rộng khoảng chia %3)&lt;/p&gt;&lt;p&gt;Nhấp để xem giá trị này trong khung nhìn định dạng số.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>probed %1</source>
        <translation>đang xem %1</translation>
    </message>
    <message>
        <source>count (log)</source>
        <translation>số lượng (log)</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>bước %1</translation>
    </message>
    <message>
        <source>(ranges for %1, updating…)</source>
        <translation>(các khoảng cho %1, đang cập nhật…)</translation>
    </message>
    <message>
        <source>clipping range</source>
        <translation>khoảng cắt</translation>
    </message>
    <message>
        <source>Percentile, MSE, entropy and histogram calibration estimate a distribution: a channel or group with only a few dozen values is too small for that, so its range is its minimum and maximum instead.</source>
        <translation>Hiệu chuẩn theo phân vị, MSE, entropy và histogram đều ước lượng một phân phối: một kênh hay nhóm chỉ có vài chục giá trị là quá nhỏ cho việc đó, nên khoảng của nó được lấy là giá trị nhỏ nhất và lớn nhất.</translation>
    </message>
    <message>
        <source>clipping range [%1, %2]</source>
        <translation>khoảng cắt [%1, %2]</translation>
    </message>
    <message>
        <source>clipping range of %1 [%2, %3]</source>
        <translation>khoảng cắt của %1 [%2, %3]</translation>
    </message>
    <message>
        <source>whole tensor:</source>
        <translation>cả tensor:</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>Value histogram of a sample (%1 of %2 values) and clipping range</source>
        <translation>Histogram của một mẫu (%1 trên %2 giá trị) và khoảng cắt</translation>
    </message>
    <message>
        <source>histogram, error and calibration ranges from a sample</source>
        <translation>histogram, sai số và các khoảng hiệu chỉnh từ một mẫu</translation>
    </message>
    <message>
        <source>error and calibration ranges from a sample</source>
        <translation>sai số và các khoảng hiệu chỉnh từ một mẫu</translation>
    </message>
    <message>
        <source>histogram and error exact over every value, calibration ranges from a sample</source>
        <translation>histogram và sai số chính xác trên mọi giá trị, các khoảng hiệu chỉnh từ một mẫu</translation>
    </message>
    <message>
        <source>stop the exact pass</source>
        <translation>dừng lượt tính chính xác</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::LessonPlayer</name>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Ngôn ngữ:</translation>
    </message>
    <message>
        <source>The language the lessons are shown in.</source>
        <translation>Ngôn ngữ dùng để hiển thị các bài học.</translation>
    </message>
    <message>
        <source>Double-click (or press Enter on) a lesson to start it.</source>
        <translation>Nhấp đúp vào một bài học (hoặc chọn nó rồi nhấn Enter) để bắt đầu.</translation>
    </message>
    <message>
        <source>&amp;Start lesson</source>
        <translation>&amp;Bắt đầu bài học</translation>
    </message>
    <message>
        <source>◀ Lessons</source>
        <translation>◀ Bài học</translation>
    </message>
    <message>
        <source>Back to the list of lessons</source>
        <translation>Quay lại danh sách bài học</translation>
    </message>
    <message>
        <source>◀ &amp;Previous</source>
        <translation>◀ Bước t&amp;rước</translation>
    </message>
    <message>
        <source>The previous step (Page Up, Alt+Left)</source>
        <translation>Bước trước (Page Up, Alt+Left)</translation>
    </message>
    <message>
        <source>&amp;Reset step</source>
        <translation>Đặt &amp;lại bước</translation>
    </message>
    <message>
        <source>Apply this step&apos;s settings again (after you experimented)</source>
        <translation>Áp dụng lại các thiết lập của bước này (sau khi bạn đã thử nghiệm)</translation>
    </message>
    <message>
        <source>&amp;Next ▶</source>
        <translation>Bước &amp;tiếp ▶</translation>
    </message>
    <message>
        <source>The next step (Page Down, Alt+Right)</source>
        <translation>Bước tiếp theo (Page Down, Alt+Right)</translation>
    </message>
    <message>
        <source>%1. %2
%3  (%4 min)</source>
        <translation>%1. %2
%3  (%4 phút)</translation>
    </message>
    <message>
        <source>Cannot read the lessons: %1</source>
        <translation>Không thể đọc các bài học: %1</translation>
    </message>
    <message>
        <source>No lessons found in “%1”.</source>
        <translation>Không tìm thấy bài học nào trong “%1”.</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Bước %1 trên %2</translation>
    </message>
    <message>
        <source>Your answer (a number)</source>
        <translation>Câu trả lời của bạn (một số)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>Pick one of the answers first.</source>
        <translation>Hãy chọn một câu trả lời trước.</translation>
    </message>
    <message>
        <source>Type a number, e.g. 0.25 or -3.</source>
        <translation>Hãy nhập một số, ví dụ 0.25 hoặc -3.</translation>
    </message>
    <message>
        <source>✔ Right.</source>
        <translation>✔ Đúng.</translation>
    </message>
    <message>
        <source>✘ Not quite — the answer is %1.</source>
        <translation>✘ Chưa đúng — đáp án là %1.</translation>
    </message>
    <message>
        <source>✘ Not quite.</source>
        <translation>✘ Chưa đúng.</translation>
    </message>
    <message>
        <source>Try again.</source>
        <translation>Hãy thử lại.</translation>
    </message>
    <message>
        <source>Check the sign.</source>
        <translation>Hãy kiểm tra dấu.</translation>
    </message>
    <message>
        <source>Check the decimal point: the answer is off by a power of ten.</source>
        <translation>Hãy kiểm tra dấu thập phân: đáp án lệch một lũy thừa của mười.</translation>
    </message>
    <message>
        <source>Close — check the rounding.</source>
        <translation>Gần đúng — hãy kiểm tra cách làm tròn.</translation>
    </message>
    <message>
        <source>That is too high.</source>
        <translation>Giá trị này quá lớn.</translation>
    </message>
    <message>
        <source>That is too low.</source>
        <translation>Giá trị này quá nhỏ.</translation>
    </message>
    <message>
        <source>Read the step again and pick another answer.</source>
        <translation>Hãy đọc lại bước này và chọn đáp án khác.</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Chưa bắt đầu</translation>
    </message>
    <message>
        <source>✔ Done: all questions right</source>
        <translation>✔ Xong: trả lời đúng mọi câu hỏi</translation>
    </message>
    <message>
        <source>Questions right: %1/%2</source>
        <translation>Số câu đúng: %1/%2</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::MainWindow</name>
    <message>
        <source>QuantLab</source>
        <translation>QuantLab</translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>Đã tải %1</translation>
    </message>
    <message>
        <source>Loading cancelled</source>
        <translation>Đã hủy việc tải</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Lượng hóa</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>Bài học</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Mở…</translation>
    </message>
    <message>
        <source>Open a tensor file (.npy, .npz, .safetensors, .csv) or the weights (initializers) of an .onnx model (Ctrl+O). You can also drop a file onto the window.</source>
        <translation>Mở một tệp tensor (.npy, .npz, .safetensors, .csv) hoặc trọng số (initializer) của một mô hình .onnx (Ctrl+O). Bạn cũng có thể kéo thả một tệp vào cửa sổ.</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Mở &amp;gần đây</translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation>&amp;Tạo…</translation>
    </message>
    <message>
        <source>Make a synthetic tensor: choose a distribution, a shape and a few outliers, and watch what they do to the grid (Ctrl+G).</source>
        <translation>Tạo một tensor tổng hợp: chọn một phân phối, một hình dạng và vài giá trị ngoại lai, rồi xem chúng tác động thế nào tới lưới (Ctrl+G).</translation>
    </message>
    <message>
        <source>Open &amp;Session…</source>
        <translation>Mở &amp;phiên…</translation>
    </message>
    <message>
        <source>Open a QuantLab session</source>
        <translation>Mở một phiên QuantLab</translation>
    </message>
    <message>
        <source>QuantLab sessions (*.qlab);;All files (*)</source>
        <translation>Phiên QuantLab (*.qlab);;Tất cả các tệp (*)</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Đã mở %1</translation>
    </message>
    <message>
        <source>Reopen a saved session: tensor, settings, view and lesson step</source>
        <translation>Mở lại một phiên đã lưu: tensor, thiết lập, khung nhìn và bước bài học</translation>
    </message>
    <message>
        <source>Save Sessio&amp;n…</source>
        <translation>&amp;Lưu phiên…</translation>
    </message>
    <message>
        <source>Save the session</source>
        <translation>Lưu phiên</translation>
    </message>
    <message>
        <source>QuantLab sessions (*.qlab)</source>
        <translation>Phiên QuantLab (*.qlab)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Đã lưu %1</translation>
    </message>
    <message>
        <source>Save what the window shows (tensor source, settings, view, lesson step) as a .qlab file to reopen in class</source>
        <translation>Lưu những gì cửa sổ đang hiển thị (nguồn tensor, thiết lập, khung nhìn, bước bài học) thành tệp .qlab để mở lại trong lớp học</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Xuất</translation>
    </message>
    <message>
        <source>View as &amp;PNG</source>
        <translation>Khung nhìn dạng &amp;PNG</translation>
    </message>
    <message>
        <source>View as &amp;SVG</source>
        <translation>Khung nhìn dạng &amp;SVG</translation>
    </message>
    <message>
        <source>Whole window</source>
        <translation>Toàn bộ cửa sổ</translation>
    </message>
    <message>
        <source>&amp;Metrics as CSV…</source>
        <translation>&amp;Chỉ số dạng CSV…</translation>
    </message>
    <message>
        <source>Quantization &amp;parameters as JSON…</source>
        <translation>&amp;Tham số lượng hóa dạng JSON…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Undo the last change of the quantization settings (Ctrl+Z)</source>
        <translation>Hoàn tác thay đổi gần nhất của thiết lập lượng hóa (Ctrl+Z)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>Redo the change you undid (Ctrl+Shift+Z)</source>
        <translation>Làm lại thay đổi bạn vừa hoàn tác (Ctrl+Shift+Z)</translation>
    </message>
    <message>
        <source>One Bit &amp;More</source>
        <translation>Thêm &amp;một bit</translation>
    </message>
    <message>
        <source>Add one bit: twice the levels, half the step (Ctrl+Up)</source>
        <translation>Thêm một bit: số mức gấp đôi, bước giảm một nửa (Ctrl+Up)</translation>
    </message>
    <message>
        <source>One Bit &amp;Fewer</source>
        <translation>&amp;Bớt một bit</translation>
    </message>
    <message>
        <source>Remove one bit: half the levels, twice the step (Ctrl+Down)</source>
        <translation>Bớt một bit: số mức giảm một nửa, bước gấp đôi (Ctrl+Down)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Mô hình</translation>
    </message>
    <message>
        <source>Open built-in %1</source>
        <translation>Mở mô hình có sẵn %1</translation>
    </message>
    <message>
        <source>Load the shipped Fashion-MNIST classifier and build its int8 version.</source>
        <translation>Tải bộ phân loại Fashion-MNIST đi kèm và tạo phiên bản int8 của nó.</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>Hiện %1</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>&amp;Bài học</translation>
    </message>
    <message>
        <source>Show &amp;Lessons</source>
        <translation>Hiện &amp;bài học</translation>
    </message>
    <message>
        <source>&amp;Presenter Mode</source>
        <translation>Chế độ &amp;trình chiếu</translation>
    </message>
    <message>
        <source>Full screen, large fonts, high contrast and a pointer circle for the projector (F11)</source>
        <translation>Toàn màn hình, phông chữ lớn, độ tương phản cao và vòng tròn con trỏ cho máy chiếu (F11)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About QuantLab</source>
        <translation>&amp;Giới thiệu QuantLab</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Thanh công cụ chính</translation>
    </message>
    <message>
        <source>The tensor being quantized: name, shape, dtype in its file and number of values.</source>
        <translation>Tensor đang được lượng hóa: tên, hình dạng, kiểu dữ liệu (dtype) trong tệp và số giá trị.</translation>
    </message>
    <message>
        <source>Scale: the real-valued size of one integer step (x ≈ scale · (q − zero point)).
Zero point: the integer code that stands for real 0, so zero is stored exactly.</source>
        <translation>Hệ số tỉ lệ: kích thước thực của một bước số nguyên (x ≈ hệ số tỉ lệ · (q − điểm không)).
Điểm không: mã số nguyên đại diện cho giá trị thực 0, nhờ đó số 0 được lưu chính xác.</translation>
    </message>
    <message>
        <source>SQNR: signal-to-quantization-noise ratio, 20·log10(‖x‖ / ‖x − x̂‖) in dB. Higher is better; each extra bit adds about 6 dB for a well-used grid.</source>
        <translation>SQNR: tỉ số tín hiệu trên nhiễu lượng hóa, 20·log10(‖x‖ / ‖x − x̂‖) tính bằng dB. Càng cao càng tốt; với một lưới được dùng hợp lý, mỗi bit thêm vào tăng khoảng 6 dB.</translation>
    </message>
    <message>
        <source>%1 — QuantLab</source>
        <translation>%1 — QuantLab</translation>
    </message>
    <message>
        <source>%1  ·  %2 %3  ·  %4 values</source>
        <translation>%1  ·  %2 %3  ·  %4 giá trị</translation>
    </message>
    <message>
        <source>scale —</source>
        <translation>hệ số tỉ lệ —</translation>
    </message>
    <message>
        <source>SQNR —</source>
        <translation>SQNR —</translation>
    </message>
    <message>
        <source>Cannot quantize: %1</source>
        <translation>Không thể lượng hóa: %1</translation>
    </message>
    <message>
        <source>scale %1  ·  zero point %2</source>
        <translation>hệ số tỉ lệ %1  ·  điểm không %2</translation>
    </message>
    <message>
        <source>%1 scales %2 … %3</source>
        <translation>%1 hệ số tỉ lệ %2 … %3</translation>
    </message>
    <message>
        <source>SQNR %1 dB</source>
        <translation>SQNR %1 dB</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>Không thể mở tệp</translation>
    </message>
    <message>
        <source>The previous tensor is still loaded.</source>
        <translation>Tensor trước đó vẫn được giữ nguyên.</translation>
    </message>
    <message>
        <source>Open a tensor</source>
        <translation>Mở một tensor</translation>
    </message>
    <message>
        <source>Tensor files (*.npy *.npz *.safetensors *.onnx *.csv *.tsv *.txt);;NumPy (*.npy *.npz);;safetensors (*.safetensors);;ONNX model weights (*.onnx);;Text tables (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>Tệp tensor (*.npy *.npz *.safetensors *.onnx *.csv *.tsv *.txt);;NumPy (*.npy *.npz);;safetensors (*.safetensors);;Trọng số mô hình ONNX (*.onnx);;Bảng văn bản (*.csv *.tsv *.txt);;Tất cả các tệp (*)</translation>
    </message>
    <message>
        <source>(no recent files)</source>
        <translation>(không có tệp gần đây)</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Xóa danh sách</translation>
    </message>
    <message>
        <source>Export view as SVG</source>
        <translation>Xuất khung nhìn dạng SVG</translation>
    </message>
    <message>
        <source>Export view as PNG</source>
        <translation>Xuất khung nhìn dạng PNG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>Ảnh SVG (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Ảnh PNG (*.png)</translation>
    </message>
    <message>
        <source>Export metrics as CSV</source>
        <translation>Xuất các chỉ số dạng CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export quantization parameters as JSON</source>
        <translation>Xuất tham số lượng hóa dạng JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Tệp JSON (*.json)</translation>
    </message>
    <message>
        <source>About QuantLab</source>
        <translation>Giới thiệu QuantLab</translation>
    </message>
    <message>
        <source>&lt;h3&gt;QuantLab %1&lt;/h3&gt;&lt;p&gt;See what quantization does to a tensor: pick a bit width, a scheme, a granularity and a calibration method, and every view shows the grid, the clipping and the error.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;QuantLab %1&lt;/h3&gt;&lt;p&gt;Xem lượng hóa tác động thế nào tới một tensor: chọn số bit, sơ đồ, độ chi tiết và phương pháp hiệu chỉnh, mọi khung nhìn sẽ hiển thị lưới, phần bị cắt và sai số.&lt;/p&gt;&lt;p&gt;Giấy phép: GPL-3.0-or-later.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Mặc định của hệ thống</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>QuantLab will speak %1 from the next start. Restart now? The tensor, settings, view and lesson step are kept.</source>
        <translation>Từ lần khởi động tới, QuantLab sẽ hiển thị bằng %1. Khởi động lại ngay bây giờ? Tensor, thiết lập, khung nhìn và bước bài học sẽ được giữ nguyên.</translation>
    </message>
    <message>
        <source>&amp;Restart Now</source>
        <translation>&amp;Khởi động lại ngay</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>Để &amp;sau</translation>
    </message>
    <message>
        <source>Could not start %1; restart QuantLab by hand.</source>
        <translation>Không thể khởi động %1; hãy tự khởi động lại QuantLab.</translation>
    </message>
    <message>
        <source>SQNR ∞ (exact: no rounding error)</source>
        <translation>SQNR ∞ (chính xác: không có sai số làm tròn)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Thay đổi chưa lưu</translation>
    </message>
    <message>
        <source>The window has changes that are not saved in a session file. Save them before closing?</source>
        <translation>Cửa sổ có những thay đổi chưa được lưu vào tệp phiên. Lưu chúng trước khi đóng?</translation>
    </message>
    <message>
        <source>%1 (sample)</source>
        <translation>%1 (mẫu)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::MappingView</name>
    <message>
        <source>How floats map to integer codes: q = clamp(round(x / scale) + zero point, qmin, qmax).
Symmetric: zero point fixed (0 for signed), the range is made symmetric around 0, so a tensor with only positive values never uses the negative codes.
Asymmetric (affine): the zero point shifts the grid so [min, max] covers every code.
Grey hatched codes cannot be reached by any value in the data range: wasted precision.</source>
        <translation>Cách các số thực được ánh xạ sang mã số nguyên: q = clamp(round(x / hệ số tỉ lệ) + điểm không, qmin, qmax).
Đối xứng: điểm không cố định (bằng 0 với kiểu có dấu), khoảng được làm cho đối xứng quanh 0, nên một tensor chỉ có giá trị dương sẽ không bao giờ dùng đến các mã âm.
Bất đối xứng (affine): điểm không dịch lưới sao cho [min, max] phủ hết mọi mã.
Các mã gạch chéo màu xám không thể đạt tới bởi bất kỳ giá trị nào trong khoảng dữ liệu: độ chính xác bị lãng phí.</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>không có dữ liệu</translation>
    </message>
    <message>
        <source>%1 of %2 codes used</source>
        <translation>dùng %1 trên %2 mã</translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation>Đối xứng</translation>
    </message>
    <message>
        <source>Asymmetric</source>
        <translation>Bất đối xứng</translation>
    </message>
    <message>
        <source>%1 %2: scale %3, zero point %4</source>
        <translation>%1 %2: hệ số tỉ lệ %3, điểm không %4</translation>
    </message>
    <message>
        <source>No finite data to map</source>
        <translation>Không có dữ liệu hữu hạn để ánh xạ</translation>
    </message>
    <message>
        <source>float</source>
        <translation>số thực</translation>
    </message>
    <message>
        <source>code</source>
        <translation>mã</translation>
    </message>
    <message>
        <source>(enlarge the view)</source>
        <translation>(hãy phóng to khung nhìn)</translation>
    </message>
    <message>
        <source>data range</source>
        <translation>khoảng dữ liệu</translation>
    </message>
    <message>
        <source>clipping range</source>
        <translation>khoảng cắt</translation>
    </message>
    <message>
        <source>reachable codes</source>
        <translation>mã đạt tới được</translation>
    </message>
    <message>
        <source>unused codes</source>
        <translation>mã không dùng</translation>
    </message>
    <message>
        <source>probed value</source>
        <translation>giá trị đang xét</translation>
    </message>
    <message>
        <source>min %1</source>
        <translation>min %1</translation>
    </message>
    <message>
        <source>max %1</source>
        <translation>max %1</translation>
    </message>
    <message>
        <source>min = clip %1</source>
        <translation>min = biên cắt %1</translation>
    </message>
    <message>
        <source>clip %1</source>
        <translation>biên cắt %1</translation>
    </message>
    <message>
        <source>max = clip %1</source>
        <translation>max = biên cắt %1</translation>
    </message>
    <message>
        <source>zero point %1</source>
        <translation>điểm không %1</translation>
    </message>
    <message>
        <source>%1 (unused), %2</source>
        <translation>%1 (không dùng), %2</translation>
    </message>
    <message>
        <source>%1, %2 (unused)</source>
        <translation>%1, %2 (không dùng)</translation>
    </message>
    <message>
        <source>  ·  step (scale) %1</source>
        <translation>  ·  bước (hệ số tỉ lệ) %1</translation>
    </message>
    <message>
        <source>%1 %2: s = %3, z = %4</source>
        <translation>%1 %2: s = %3, z = %4</translation>
    </message>
    <message>
        <source>%1  ·  %2</source>
        <translation>%1  ·  %2</translation>
    </message>
    <message>
        <source>sym</source>
        <comment>short for symmetric</comment>
        <translation>đối xứng</translation>
    </message>
    <message>
        <source>asym</source>
        <comment>short for asymmetric</comment>
        <translation>bất đối xứng</translation>
    </message>
    <message>
        <source>%1 %2 · s = %3 · z = %4</source>
        <translation>%1 %2 · s = %3 · z = %4</translation>
    </message>
    <message>
        <source>%1 · s = %2 · z = %3</source>
        <translation>%1 · s = %2 · z = %3</translation>
    </message>
    <message>
        <source>s = %1 · z = %2</source>
        <translation>s = %1 · z = %2</translation>
    </message>
    <message numerus="yes">
        <source> (%n wasted)</source>
        <translation>
            <numerusform> (lãng phí %n)</numerusform>
        </translation>
    </message>
    <message>
        <source>The channel or group whose scale and zero point the panels show.</source>
        <translation>Kênh hoặc nhóm có hệ số tỉ lệ và điểm không được các bảng hiển thị.</translation>
    </message>
    <message>
        <source>Channel </source>
        <translation>Kênh </translation>
    </message>
    <message>
        <source>Group </source>
        <translation>Nhóm </translation>
    </message>
    <message>
        <source> of %1</source>
        <translation> trên %1</translation>
    </message>
    <message>
        <source>, %1</source>
        <translation>, %1</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ModelJobBar</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Stop the running job. Its partial results are thrown away.</source>
        <translation>Dừng tác vụ đang chạy. Các kết quả dở dang của nó sẽ bị bỏ đi.</translation>
    </message>
    <message>
        <source>%1 — %p%</source>
        <translation>%1 — %p%</translation>
    </message>
    <message>
        <source>Cancelled. The partial results were thrown away.</source>
        <translation>Đã hủy. Kết quả dở dang đã bị bỏ đi.</translation>
    </message>
    <message>
        <source>Cancelled: %1. The partial results were thrown away.</source>
        <translation>Đã hủy: %1. Kết quả dở dang đã bị bỏ đi.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ModelSession</name>
    <message>
        <source>Opening %1</source>
        <translation>Đang mở %1</translation>
    </message>
    <message>
        <source>Fashion-MNIST is not installed (%1). Install it with: sudo apt-get install dataset-fashion-mnist. Until then the benchmark uses random images.</source>
        <translation>Fashion-MNIST chưa được cài đặt (%1). Hãy cài bằng lệnh: sudo apt-get install dataset-fashion-mnist. Cho đến lúc đó, phép đo hiệu năng dùng ảnh ngẫu nhiên.</translation>
    </message>
    <message>
        <source>No int8 model: %1</source>
        <translation>Không có mô hình int8: %1</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Đo hiệu năng</translation>
    </message>
    <message>
        <source>Evaluating on the test set</source>
        <translation>Đang đánh giá trên tập kiểm tra</translation>
    </message>
    <message>
        <source>Sensitivity analysis</source>
        <translation>Phân tích độ nhạy</translation>
    </message>
    <message>
        <source>No model is open.</source>
        <translation>Chưa mở mô hình nào.</translation>
    </message>
    <message>
        <source>Select a Linear or Conv2d layer in the layer table.</source>
        <translation>Hãy chọn một lớp Linear hoặc Conv2d trong bảng các lớp.</translation>
    </message>
    <message>
        <source>The walkthrough follows the layers with weights: select a Linear or Conv2d layer.</source>
        <translation>Phần minh họa từng bước chỉ đi theo các lớp có trọng số: hãy chọn một lớp Linear hoặc Conv2d.</translation>
    </message>
    <message>
        <source>Quantization-aware training</source>
        <translation>Huấn luyện có nhận biết lượng hóa</translation>
    </message>
    <message>
        <source>No QAT model yet: run the training first.</source>
        <translation>Chưa có mô hình QAT: hãy chạy huấn luyện trước.</translation>
    </message>
    <message>
        <source>Evaluating the mixed-precision plan</source>
        <translation>Đang đánh giá phương án độ chính xác hỗn hợp</translation>
    </message>
    <message>
        <source>fp32 (kept)</source>
        <translation>fp32 (giữ nguyên)</translation>
    </message>
    <message>
        <source>W %1 · A %2</source>
        <translation>W %1 · A %2</translation>
    </message>
    <message>
        <source>%1:%2 outputs on %3 calibration images</source>
        <translation>đầu ra của %1:%2 trên %3 ảnh hiệu chỉnh</translation>
    </message>
    <message>
        <source>The model&apos;s input %1 is not a 28×28 Fashion-MNIST image: give it its data with Open data…. Until then timing uses random inputs, and predictions, sensitivity and QAT are unavailable.</source>
        <translation>Đầu vào %1 của mô hình không phải ảnh Fashion-MNIST 28×28: hãy cung cấp dữ liệu cho nó bằng Mở dữ liệu…. Trước đó, việc đo thời gian dùng đầu vào ngẫu nhiên, còn dự đoán, độ nhạy và QAT không dùng được.</translation>
    </message>
    <message>
        <source>Open a model first: the data is fitted to its input.</source>
        <translation>Hãy mở một mô hình trước: dữ liệu được khớp với đầu vào của nó.</translation>
    </message>
    <message>
        <source>Opening data %1</source>
        <translation>Đang mở dữ liệu %1</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ModelView</name>
    <message>
        <source>Model:</source>
        <translation>Mô hình:</translation>
    </message>
    <message>
        <source>The built-in Fashion-MNIST classifiers: MLP (784-256-128-10, fully connected) and CNN (two 3×3 convolutions). Choosing one loads it, the data set, and builds its int8 version (activations calibrated on 256 training images with min-max, one weight scale per output channel).</source>
        <translation>Các bộ phân loại Fashion-MNIST có sẵn: MLP (784-256-128-10, kết nối đầy đủ) và CNN (hai lớp tích chập 3×3). Khi chọn một mô hình, chương trình sẽ nạp mô hình đó và tập dữ liệu, rồi tạo phiên bản int8 của nó (kích hoạt được hiệu chỉnh bằng min-max trên 256 ảnh huấn luyện, mỗi kênh đầu ra có một hệ số tỉ lệ trọng số).</translation>
    </message>
    <message>
        <source>Open ONNX…</source>
        <translation>Mở ONNX…</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Lớp</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Đầu ra</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Tham số</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>int8 out s / z</source>
        <translation>s / z đầu ra int8</translation>
    </message>
    <message>
        <source>The layer&apos;s name in the ONNX graph.</source>
        <translation>Tên của lớp trong đồ thị ONNX.</translation>
    </message>
    <message>
        <source>What the layer computes. Linear and Conv2d hold the weights that get quantized; ReLU after them is fused into the int8 layer (it becomes a clamp at the zero point).</source>
        <translation>Phép tính mà lớp thực hiện. Linear và Conv2d chứa các trọng số sẽ được lượng hóa; lớp ReLU đứng sau chúng được hợp nhất vào lớp int8 (nó trở thành một phép kẹp tại điểm không).</translation>
    </message>
    <message>
        <source>Shape of the layer&apos;s output for one image (the batch dimension left out).</source>
        <translation>Dạng đầu ra của lớp cho một ảnh (không tính chiều batch).</translation>
    </message>
    <message>
        <source>Stored numbers: weights and biases.</source>
        <translation>Các số được lưu: trọng số và độ lệch.</translation>
    </message>
    <message>
        <source>Multiply-accumulates per image: the work an int8 kernel does with integer instructions instead of float ones.</source>
        <translation>Số phép nhân-cộng dồn cho mỗi ảnh: khối lượng công việc mà một kernel int8 thực hiện bằng lệnh số nguyên thay vì lệnh số thực.</translation>
    </message>
    <message>
        <source>Storage in float32: 4 bytes per parameter.</source>
        <translation>Dung lượng ở float32: 4 byte cho mỗi tham số.</translation>
    </message>
    <message>
        <source>The int8 output tensor&apos;s scale s and zero point z: real ≈ s·(q − z). Each Linear/Conv2d output gets its own, calibrated on training images.</source>
        <translation>Hệ số tỉ lệ s và điểm không z của tensor đầu ra int8: giá trị thực ≈ s·(q − z). Đầu ra của mỗi lớp Linear/Conv2d có cặp giá trị riêng, được hiệu chỉnh trên ảnh huấn luyện.</translation>
    </message>
    <message>
        <source>Could not open the model: %1</source>
        <translation>Không mở được mô hình: %1</translation>
    </message>
    <message>
        <source>Open an ONNX model</source>
        <translation>Mở mô hình ONNX</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Mô hình ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>No model open yet: choose one above.</source>
        <translation>Chưa mở mô hình nào: hãy chọn một mô hình ở trên.</translation>
    </message>
    <message>
        <source>No int8 model: %1</source>
        <translation>Không có mô hình int8: %1</translation>
    </message>
    <message>
        <source>Click to load %1&apos;s weights into the quantization views.</source>
        <translation>Nhấp để nạp trọng số của %1 vào các khung nhìn lượng hóa.</translation>
    </message>
    <message>
        <source>  (+%1 fused)</source>
        <translation>  (+%1 hợp nhất)</translation>
    </message>
    <message>
        <source>Selecting a layer loads:</source>
        <translation>Khi chọn một lớp, chương trình sẽ tải:</translation>
    </message>
    <message>
        <source>its weights</source>
        <translation>trọng số của lớp</translation>
    </message>
    <message>
        <source>its outputs (activations)</source>
        <translation>đầu ra của lớp (giá trị kích hoạt)</translation>
    </message>
    <message>
        <source>Weights: the fixed numbers of a Linear/Conv2d layer — centred on 0, so a symmetric grid fits them.
Activations: what a layer outputs for the 256 calibration images (any layer). After a ReLU they are all ≥ 0 with a long tail: an asymmetric grid and a careful range (calibration) matter here, and the range can only be known from data.</source>
        <translation>Trọng số: các số cố định của một lớp Linear/Conv2d — tập trung quanh 0, nên lưới đối xứng phù hợp với chúng.
Giá trị kích hoạt: những gì một lớp (bất kỳ lớp nào) xuất ra cho 256 ảnh hiệu chỉnh. Sau ReLU, chúng đều ≥ 0 và có đuôi dài: ở đây lưới bất đối xứng và một khoảng được chọn cẩn thận (hiệu chỉnh) là rất quan trọng, và chỉ có thể biết khoảng này từ dữ liệu.</translation>
    </message>
    <message>
        <source>Precision plan</source>
        <translation>Phương án độ chính xác</translation>
    </message>
    <message>
        <source>The applied mixed-precision plan (Sensitivity view → Apply proposal): the width of each layer&apos;s weights (W) and output (A), or fp32 where the layer is kept in float. Simulated with fake quantization; empty when no plan is applied.</source>
        <translation>Phương án độ chính xác hỗn hợp đang được áp dụng (khung nhìn Độ nhạy → Áp dụng đề xuất): số bit của trọng số (W) và đầu ra (A) của từng lớp, hoặc fp32 nếu lớp đó được giữ ở dạng số thực. Được mô phỏng bằng lượng hóa giả lập; để trống khi chưa áp dụng phương án nào.</translation>
    </message>
    <message>
        <source>Click a Linear or Conv2d layer to load its weights (or any layer&apos;s outputs, see above) into the quantization views.</source>
        <translation>Nhấp vào một lớp Linear hoặc Conv2d để tải trọng số của nó (hoặc đầu ra của bất kỳ lớp nào, xem ở trên) vào các khung nhìn lượng hóa.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Precision plan applied&lt;/b&gt; (last column; simulated with fake quantization): test accuracy %1 (fp32 %2), size %3.</source>
        <translation>&lt;b&gt;Đã áp dụng phương án độ chính xác&lt;/b&gt; (cột cuối; mô phỏng bằng lượng hóa giả lập): độ chính xác kiểm tra %1 (fp32 %2), kích thước %3.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Precision plan applied&lt;/b&gt; (last column): evaluating…</source>
        <translation>&lt;b&gt;Đã áp dụng phương án độ chính xác&lt;/b&gt; (cột cuối): đang đánh giá…</translation>
    </message>
    <message>
        <source>fp32 (kept)</source>
        <translation>fp32 (giữ nguyên)</translation>
    </message>
    <message>
        <source>Storage in int8: 1 byte per weight, a 4-byte int32 per bias, a 4-byte scale per output channel and 8 bytes (scale, zero point) for the layer&apos;s output.</source>
        <translation>Lưu trữ ở int8: 1 byte mỗi trọng số, một int32 4 byte mỗi bias, một hệ số tỉ lệ 4 byte mỗi kênh đầu ra và 8 byte (tỉ lệ, điểm không) cho đầu ra của lớp.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — input %2, %3 parameters, %4 MACs per image; stored size %5 in fp32, %6 in int8 (%7 bytes).</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — đầu vào %2, %3 tham số, %4 MAC mỗi ảnh; kích thước lưu trữ %5 ở fp32, %6 ở int8 (%7 byte).</translation>
    </message>
    <message>
        <source>Quantization recipe: %1.
int8 bytes: %2 weights, %3 bias, %4 weight scales, %5 activation parameters, %6 other parameters (counted as quantlab-cli eval and bench count them).</source>
        <translation>Công thức lượng hóa: %1.
Số byte int8: %2 trọng số, %3 bias, %4 hệ số tỉ lệ trọng số, %5 tham số kích hoạt, %6 tham số khác (đếm như quantlab-cli eval và bench đếm).</translation>
    </message>
    <message>
        <source>Open your own ONNX classifier. Any image [C, H, W] or feature [F] input: give it its data with Open data…</source>
        <translation>Mở bộ phân loại ONNX của riêng bạn. Đầu vào ảnh [C, H, W] hay đặc trưng [F] bất kỳ: hãy cung cấp dữ liệu bằng Mở dữ liệu…</translation>
    </message>
    <message>
        <source>Open data…</source>
        <translation>Mở dữ liệu…</translation>
    </message>
    <message>
        <source>Run the open model on your own data set (.npz, .npy, IDX, or a folder of images per class), with its normalisation.</source>
        <translation>Chạy mô hình đang mở trên tập dữ liệu của riêng bạn (.npz, .npy, IDX, hoặc một thư mục ảnh theo từng lớp), với cách chuẩn hoá của nó.</translation>
    </message>
    <message>
        <source>Could not open the data: %1</source>
        <translation>Không mở được dữ liệu: %1</translation>
    </message>
    <message>
        <source>Open a model first: the data is fitted to its input.</source>
        <translation>Hãy mở một mô hình trước: dữ liệu được khớp với đầu vào của nó.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data&lt;/b&gt;: %1.&lt;br&gt;Calibration: %2 samples; test set: %3 samples. %4</source>
        <translation>&lt;b&gt;Dữ liệu&lt;/b&gt;: %1.&lt;br&gt;Hiệu chuẩn: %2 mẫu; tập kiểm tra: %3 mẫu. %4</translation>
    </message>
    <message>
        <source>Classes: %1.</source>
        <translation>Các lớp: %1.</translation>
    </message>
    <message>
        <source>No labels: every accuracy is the top-1 agreement with fp32.</source>
        <translation>Không có nhãn: mọi độ chính xác là mức trùng khớp top-1 với fp32.</translation>
    </message>
    <message>
        <source>Test sample %1: %2</source>
        <translation>Mẫu kiểm tra %1: %2</translation>
    </message>
    <message>
        <source>A quantized ONNX model: int8 runs with the file&apos;s own scales and zero points (shown for every int8 layer), float32 with its dequantized weights.</source>
        <translation>Mô hình ONNX đã lượng hóa: int8 chạy với chính các hệ số tỉ lệ và điểm không trong tệp (hiển thị cho mọi lớp int8), float32 chạy với các trọng số đã giải lượng hóa.</translation>
    </message>
    <message>
        <source>float32: %1</source>
        <translation>float32: %1</translation>
    </message>
    <message>
        <source>From the file: input scale %1, zero point %2; output scale %3, zero point %4.</source>
        <translation>Từ tệp: hệ số tỉ lệ đầu vào %1, điểm không %2; hệ số tỉ lệ đầu ra %3, điểm không %4.</translation>
    </message>
    <message>
        <source>Weight scales: %1, from %2 to %3; zero point 0.</source>
        <translation>Hệ số tỉ lệ của trọng số: %1, từ %2 đến %3; điểm không 0.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::NumberFormatView</name>
    <message>
        <source>zero</source>
        <translation>số không</translation>
    </message>
    <message>
        <source>subnormal</source>
        <translation>dưới chuẩn</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>chuẩn hóa</translation>
    </message>
    <message>
        <source>infinity</source>
        <translation>vô cực</translation>
    </message>
    <message>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <source>  (zero)</source>
        <translation>  (số không)</translation>
    </message>
    <message>
        <source>  (subnormal: exponent field 0, no implicit 1)</source>
        <translation>  (dưới chuẩn: trường số mũ bằng 0, không có số 1 ngầm định)</translation>
    </message>
    <message>
        <source>exponent all ones, mantissa 0: %1infinity</source>
        <translation>số mũ toàn bit 1, phần định trị bằng 0: %1vô cực</translation>
    </message>
    <message>
        <source>exponent and mantissa all ones: NaN (this format has no infinity)</source>
        <translation>số mũ và phần định trị toàn bit 1: NaN (định dạng này không có vô cực)</translation>
    </message>
    <message>
        <source>exponent all ones, mantissa not 0: NaN</source>
        <translation>số mũ toàn bit 1, phần định trị khác 0: NaN</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>Giá trị:</translation>
    </message>
    <message>
        <source>e.g. 0.1, -3.5e-3, inf, nan</source>
        <translation>ví dụ 0.1, -3.5e-3, inf, nan</translation>
    </message>
    <message>
        <source>Type a number: every format below rounds it to its nearest value (ties to even). Up/Down step one ULP in the selected format.</source>
        <translation>Nhập một số: mỗi định dạng bên dưới làm tròn nó về giá trị gần nhất của mình (trường hợp hòa thì về số chẵn). Phím Lên/Xuống tăng/giảm một ULP theo định dạng đang chọn.</translation>
    </message>
    <message>
        <source>Integer quantization maps x to the code q = clamp(round(x / s) + z, qmin, qmax). The scale s is the integer grid&apos;s step: the same everywhere in the clipping range, unlike a float&apos;s gap, which doubles with every power of two.</source>
        <translation>Lượng hóa số nguyên ánh xạ x sang mã q = clamp(round(x / s) + z, qmin, qmax). Hệ số tỉ lệ s là bước của lưới số nguyên: như nhau ở mọi nơi trong khoảng cắt, khác với khoảng cách giữa các số thực dấu phẩy động, vốn tăng gấp đôi sau mỗi lũy thừa của hai.</translation>
    </message>
    <message>
        <source>code q =</source>
        <translation>mã q =</translation>
    </message>
    <message>
        <source>E%1M%2: %1 exponent bits, %2 mantissa bits, bias %3; largest finite value %4</source>
        <translation>E%1M%2: %1 bit số mũ, %2 bit định trị, độ lệch %3; giá trị hữu hạn lớn nhất %4</translation>
    </message>
    <message>
        <source>E%1M%2, bias %3</source>
        <translation>E%1M%2, độ lệch %3</translation>
    </message>
    <message>
        <source>The bit pattern in hexadecimal</source>
        <translation>Chuỗi bit ở dạng thập lục phân</translation>
    </message>
    <message>
        <source>zero, subnormal (no implicit leading 1: tiny values with fewer significant bits), normal, infinity or NaN</source>
        <translation>số không, dưới chuẩn (không có số 1 ngầm định ở đầu: các giá trị rất nhỏ với ít bit có nghĩa hơn), chuẩn hóa, vô cực hoặc NaN</translation>
    </message>
    <message>
        <source>The exact decimal value of this bit pattern: every binary float is a fraction with a power-of-two denominator, so it has a finite decimal expansion.</source>
        <translation>Giá trị thập phân chính xác của chuỗi bit này: mọi số thực nhị phân đều là một phân số có mẫu số là lũy thừa của hai, nên nó có biểu diễn thập phân hữu hạn.</translation>
    </message>
    <message>
        <source>The next smaller and next larger values this format can store</source>
        <translation>Giá trị liền kề nhỏ hơn và liền kề lớn hơn mà định dạng này lưu được</translation>
    </message>
    <message>
        <source>Rounding error: the stored value minus the typed value (round to nearest, ties to even).</source>
        <translation>Sai số làm tròn: giá trị được lưu trừ đi giá trị đã nhập (làm tròn tới giá trị gần nhất, trường hợp hòa thì về số chẵn).</translation>
    </message>
    <message>
        <source>The gap (ULP, unit in the last place) to the next value away from zero. It doubles at every power of two, so relative precision stays roughly constant while absolute precision does not.</source>
        <translation>Khoảng cách (ULP, đơn vị ở vị trí cuối) tới giá trị kế tiếp theo hướng xa số 0. Nó tăng gấp đôi ở mỗi lũy thừa của hai, nên độ chính xác tương đối gần như không đổi, còn độ chính xác tuyệt đối thì không.</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>không phải là số</translation>
    </message>
    <message>
        <source>NaN in, NaN out</source>
        <translation>NaN vào, NaN ra</translation>
    </message>
    <message>
        <source>overflow: too large, became infinity</source>
        <translation>tràn số: quá lớn, trở thành vô cực</translation>
    </message>
    <message>
        <source>overflow: too large, became NaN</source>
        <translation>tràn số: quá lớn, trở thành NaN</translation>
    </message>
    <message>
        <source>exact: no rounding error</source>
        <translation>chính xác: không có sai số làm tròn</translation>
    </message>
    <message>
        <source>rounding error %1%2 (%1%3 %)</source>
        <translation>sai số làm tròn %1%2 (%1%3 %)</translation>
    </message>
    <message>
        <source>, underflow to zero</source>
        <translation>, tràn dưới về 0</translation>
    </message>
    <message>
        <source>value </source>
        <translation>giá trị </translation>
    </message>
    <message>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <source>gap (ULP) %1</source>
        <translation>khoảng cách (ULP) %1</translation>
    </message>
    <message>
        <source>gap (ULP) 2^%1 %2</source>
        <translation>khoảng cách (ULP) 2^%1 %2</translation>
    </message>
    <message>
        <source> (int step = %1 gaps)</source>
        <translation> (bước số nguyên = %1 khoảng cách)</translation>
    </message>
    <message>
        <source> (gap = %1 int steps)</source>
        <translation> (khoảng cách = %1 bước số nguyên)</translation>
    </message>
    <message>
        <source>neighbours %1 %2 %3</source>
        <translation>lân cận %1 %2 %3</translation>
    </message>
    <message>
        <source>Integer quantization</source>
        <translation>Lượng hóa số nguyên</translation>
    </message>
    <message>
        <source>no parameters yet</source>
        <translation>chưa có tham số</translation>
    </message>
    <message>
        <source> (slot 0 of %1)</source>
        <translation> (vị trí 0 trong %1)</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>The integer code stored for the value</source>
        <translation>Mã số nguyên được lưu cho giá trị này</translation>
    </message>
    <message>
        <source>s = %1, z = %2, codes [%3, %4], dequantized %5</source>
        <translation>s = %1, z = %2, mã [%3, %4], sau giải lượng hóa %5</translation>
    </message>
    <message>
        <source>q = clamp(round(x / s) + z, qmin, qmax), rounding half to even; x is first rounded to fp32, as the quantizer sees it. s is the scale, z the zero point. Dequantized: s%1(q %2 z).</source>
        <translation>q = clamp(round(x / s) + z, qmin, qmax), làm tròn nửa về số chẵn; trước hết x được làm tròn sang fp32, đúng như bộ lượng hóa nhìn thấy nó. s là hệ số tỉ lệ, z là điểm không. Giải lượng hóa: s%1(q %2 z).</translation>
    </message>
    <message>
        <source> (NaN maps to the zero point)</source>
        <translation> (NaN được ánh xạ tới điểm không)</translation>
    </message>
    <message>
        <source> &lt;b&gt;(clipped: outside the range [%1, %2])&lt;/b&gt;</source>
        <translation> &lt;b&gt;(bị cắt: nằm ngoài khoảng [%1, %2])&lt;/b&gt;</translation>
    </message>
    <message>
        <source>int step %1 everywhere in [%2, %3]</source>
        <translation>bước số nguyên %1 ở mọi nơi trong [%2, %3]</translation>
    </message>
    <message>
        <source> = %1 %2 gaps (%3) here</source>
        <translation> = %1 khoảng cách %2 (%3) tại đây</translation>
    </message>
    <message>
        <source>; one %2 gap (%3) = %1 int steps here</source>
        <translation>; một khoảng cách %2 (%3) = %1 bước số nguyên tại đây</translation>
    </message>
    <message>
        <source>Normal numbers: (−1)^s × 1.m × 2^(e − bias). Subnormals (exponent field 0): (−1)^s × 0.m × 2^(1 − bias).</source>
        <translation>Số chuẩn hóa: (−1)^s × 1.m × 2^(e − bias). Số dưới chuẩn (trường số mũ bằng 0): (−1)^s × 0.m × 2^(1 − bias).</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::OpenDataDialog</name>
    <message>
        <source>Open data</source>
        <translation>Mở dữ liệu</translation>
    </message>
    <message>
        <source>A data set for the open model (input %1): a .npz with inputs x and optional integer labels y, a .npy of inputs, an IDX images file, an MNIST-style folder, or a folder with one sub-folder of PNG/JPEG images per class. The first quarter (at most 256 samples) calibrates the int8 model; the rest is the test set. Without labels, the accuracies are the agreement with fp32.</source>
        <translation>Một tập dữ liệu cho mô hình đang mở (đầu vào %1): một tệp .npz với đầu vào x và nhãn nguyên y tuỳ chọn, một tệp .npy chứa đầu vào, một tệp ảnh IDX, một thư mục kiểu MNIST, hoặc một thư mục có mỗi lớp một thư mục con chứa ảnh PNG/JPEG. Một phần tư đầu tiên (tối đa 256 mẫu) dùng để hiệu chuẩn mô hình int8; phần còn lại là tập kiểm tra. Khi không có nhãn, độ chính xác là mức trùng khớp với fp32.</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>Tệp…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Thư mục…</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>Dữ liệu:</translation>
    </message>
    <message>
        <source>exact size only</source>
        <translation>chỉ đúng kích thước</translation>
    </message>
    <message>
        <source>stretch to the input</source>
        <translation>kéo giãn cho vừa đầu vào</translation>
    </message>
    <message>
        <source>resize and crop the centre</source>
        <translation>đổi kích thước rồi cắt phần giữa</translation>
    </message>
    <message>
        <source>How images of another size reach the model&apos;s input. Grey and RGB images are converted to the model&apos;s channel count.</source>
        <translation>Cách ảnh có kích thước khác được đưa vào đầu vào của mô hình. Ảnh xám và ảnh RGB được chuyển sang số kênh của mô hình.</translation>
    </message>
    <message>
        <source>Images:</source>
        <translation>Ảnh:</translation>
    </message>
    <message>
        <source>auto: 1/255 for 8-bit data, else 1</source>
        <translation>tự động: 1/255 cho dữ liệu 8 bit, ngược lại là 1</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Tỉ lệ:</translation>
    </message>
    <message>
        <source>none, or one value per channel: 0.49, 0.48, 0.45</source>
        <translation>không có, hoặc mỗi kênh một giá trị: 0.49, 0.48, 0.45</translation>
    </message>
    <message>
        <source>Mean:</source>
        <translation>Trung bình:</translation>
    </message>
    <message>
        <source>none, or one value per channel: 0.25, 0.24, 0.26</source>
        <translation>không có, hoặc mỗi kênh một giá trị: 0.25, 0.24, 0.26</translation>
    </message>
    <message>
        <source>Std:</source>
        <translation>Độ lệch chuẩn:</translation>
    </message>
    <message>
        <source>Each value becomes (x · scale − mean) / std, per channel.</source>
        <translation>Mỗi giá trị trở thành (x · tỉ lệ − trung bình) / độ lệch chuẩn, theo từng kênh.</translation>
    </message>
    <message>
        <source>Filled in from %1.</source>
        <translation>Đã điền từ %1.</translation>
    </message>
    <message>
        <source>Open a data file</source>
        <translation>Mở một tệp dữ liệu</translation>
    </message>
    <message>
        <source>Data sets (*.npz *.npy *-ubyte *-ubyte.gz *.idx);;All files (*)</source>
        <translation>Tập dữ liệu (*.npz *.npy *-ubyte *-ubyte.gz *.idx);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Open a data folder</source>
        <translation>Mở một thư mục dữ liệu</translation>
    </message>
    <message>
        <source>Choose a data file or folder.</source>
        <translation>Hãy chọn một tệp hoặc thư mục dữ liệu.</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Tỉ lệ</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <source>Std</source>
        <translation>Độ lệch chuẩn</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::PerChannelView</name>
    <message>
        <source>Which dimension of the tensor holds the channels. For a conv or linear weight [out, in, ...] the output channels are axis 0: each output channel gets its own scale (and zero point), so one large channel no longer coarsens the grid of all the others.</source>
        <translation>Chiều nào của tensor chứa các kênh. Với trọng số conv hoặc linear [out, in, ...], các kênh đầu ra nằm ở trục 0: mỗi kênh đầu ra có hệ số tỉ lệ (và điểm không) riêng, nên một kênh lớn không còn làm thô lưới của tất cả các kênh khác.</translation>
    </message>
    <message>
        <source>Channel axis:</source>
        <translation>Trục kênh:</translation>
    </message>
    <message>
        <source>SQNR = 20 log10(||x|| / ||x - x_hat||): signal power over quantization-noise power, in decibels. Higher is better; each extra bit adds about 6 dB.</source>
        <translation>SQNR = 20 log10(||x|| / ||x - x_hat||): tỉ số giữa công suất tín hiệu và công suất nhiễu lượng hóa, tính bằng decibel. Càng cao càng tốt; mỗi bit thêm vào tăng khoảng 6 dB.</translation>
    </message>
    <message>
        <source>Per-tensor SQNR</source>
        <translation>SQNR theo tensor</translation>
    </message>
    <message>
        <source>Here one scale for the whole tensor (min-max).</source>
        <translation>Ở đây là một hệ số tỉ lệ cho cả tensor (min-max).</translation>
    </message>
    <message>
        <source>Per-channel SQNR</source>
        <translation>SQNR theo kênh</translation>
    </message>
    <message>
        <source>Here one scale per channel (min-max of each channel).</source>
        <translation>Ở đây là mỗi kênh một hệ số tỉ lệ (min-max của từng kênh).</translation>
    </message>
    <message>
        <source>Gain from per-channel</source>
        <translation>Mức tăng nhờ theo kênh</translation>
    </message>
    <message>
        <source>Per-channel SQNR minus per-tensor SQNR. Large when channel ranges differ a lot.</source>
        <translation>SQNR theo kênh trừ đi SQNR theo tensor. Lớn khi khoảng giá trị của các kênh chênh lệch nhiều.</translation>
    </message>
    <message>
        <source>Channel ranges and scales</source>
        <translation>Khoảng giá trị và hệ số tỉ lệ của các kênh</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>kênh</translation>
    </message>
    <message>
        <source>value</source>
        <translation>giá trị</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>hệ số tỉ lệ</translation>
    </message>
    <message>
        <source>min to max</source>
        <translation>từ min đến max</translation>
    </message>
    <message>
        <source>scale (right axis)</source>
        <translation>hệ số tỉ lệ (trục phải)</translation>
    </message>
    <message>
        <source>Each bar spans one channel&apos;s smallest to largest value. With one per-tensor scale every channel shares the grid sized for the widest bar; per-channel scales (orange) follow each bar, so narrow channels get a finer grid.</source>
        <translation>Mỗi thanh trải từ giá trị nhỏ nhất đến giá trị lớn nhất của một kênh. Với một hệ số tỉ lệ theo tensor, mọi kênh dùng chung lưới được định cỡ theo thanh rộng nhất; hệ số tỉ lệ theo kênh (màu cam) bám theo từng thanh, nên các kênh hẹp nhận được lưới mịn hơn.</translation>
    </message>
    <message>
        <source>SQNR of each channel</source>
        <translation>SQNR của từng kênh</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>per-channel scales</source>
        <translation>hệ số tỉ lệ theo kênh</translation>
    </message>
    <message>
        <source>per-tensor scale</source>
        <translation>hệ số tỉ lệ theo tensor</translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio of every channel, quantized with its own scale (green) and with the tensor&apos;s single scale (dashed). Channels with a small range lose the most under a per-tensor scale. Exact channels (infinite SQNR) sit on the top edge.</source>
        <translation>Tỉ số tín hiệu trên nhiễu lượng hóa của từng kênh, khi lượng hóa bằng hệ số tỉ lệ riêng của kênh (màu xanh lá) và bằng hệ số tỉ lệ duy nhất của cả tensor (nét đứt). Các kênh có khoảng giá trị nhỏ chịu thiệt nhiều nhất với hệ số tỉ lệ theo tensor. Các kênh chính xác tuyệt đối (SQNR vô cực) nằm sát mép trên.</translation>
    </message>
    <message>
        <source>Computing the per-channel comparison…</source>
        <translation>Đang tính phép so sánh theo kênh…</translation>
    </message>
    <message>
        <source>This tensor has no channel axis to compare.</source>
        <translation>Tensor này không có trục kênh để so sánh.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Lỗi: %1</translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation>1 kênh</translation>
    </message>
    <message>
        <source>%1 channels</source>
        <translation>%1 kênh</translation>
    </message>
    <message>
        <source>A 1-D tensor has no channels to compare (each value would be its own channel). Per-group granularity in the controls splits it into blocks with one scale each instead.</source>
        <translation>Tensor 1-D không có kênh nào để so sánh (mỗi giá trị sẽ là một kênh riêng). Độ chi tiết theo nhóm trong bảng điều khiển chia nó thành các khối, mỗi khối có một hệ số tỉ lệ riêng.</translation>
    </message>
    <message>
        <source>Updating for %1…</source>
        <translation>Đang cập nhật cho %1…</translation>
    </message>
    <message>
        <source>%1 channels, drawn in %2 groups of %3 (the extremes of each group)</source>
        <translation>%1 kênh, vẽ thành %2 nhóm, mỗi nhóm %3 kênh (giá trị cực trị của từng nhóm)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::PredictionsView</name>
    <message>
        <source>Evaluate test set</source>
        <translation>Đánh giá tập kiểm tra</translation>
    </message>
    <message>
        <source>Only disagreements</source>
        <translation>Chỉ các ảnh khác biệt</translation>
    </message>
    <message>
        <source>Run the fp32 and the int8 model over all 10 000 test images (in the background).</source>
        <translation>Chạy mô hình fp32 và mô hình int8 trên toàn bộ 10 000 ảnh kiểm tra (ở chế độ nền).</translation>
    </message>
    <message>
        <source>Show only the images where int8 predicts a different class than fp32.</source>
        <translation>Chỉ hiện những ảnh mà int8 dự đoán nhãn khác với fp32.</translation>
    </message>
    <message>
        <source>The first test image shown (the grid shows 48 from here).</source>
        <translation>Ảnh kiểm tra đầu tiên được hiển thị (lưới hiện 48 ảnh bắt đầu từ đây).</translation>
    </message>
    <message>
        <source>From image</source>
        <translation>Từ ảnh</translation>
    </message>
    <message>
        <source>Accuracy: the fraction of test images classified correctly. Agreement: the fraction where int8 predicts the same class as fp32 — quantization&apos;s own effect, whatever the label.</source>
        <translation>Độ chính xác: tỉ lệ ảnh kiểm tra được phân loại đúng. Độ trùng khớp: tỉ lệ ảnh mà int8 dự đoán cùng nhãn với fp32 — tác động riêng của lượng hóa, bất kể nhãn thật là gì.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Hãy mở một mô hình trước (khung nhìn Các lớp của mô hình).</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Evaluate test set&lt;/b&gt; to run fp32 and int8 on the %1 test images.</source>
        <translation>Nhấn &lt;b&gt;Đánh giá tập kiểm tra&lt;/b&gt; để chạy fp32 và int8 trên %1 ảnh kiểm tra.</translation>
    </message>
    <message>
        <source>On %1 test images: fp32 accuracy &lt;b&gt;%2&lt;/b&gt;, int8 accuracy &lt;b&gt;%3&lt;/b&gt; (%4 points), agreement &lt;b&gt;%5&lt;/b&gt; — int8 and fp32 disagree on %6 images.</source>
        <translation>Trên %1 ảnh kiểm tra: độ chính xác fp32 &lt;b&gt;%2&lt;/b&gt;, độ chính xác int8 &lt;b&gt;%3&lt;/b&gt; (%4 điểm), độ trùng khớp &lt;b&gt;%5&lt;/b&gt; — int8 và fp32 dự đoán khác nhau trên %6 ảnh.</translation>
    </message>
    <message>
        <source>Test image %1. Bold: the true class. Red: a wrong prediction. A framed cell is an image where fp32 and int8 disagree — usually a borderline case whose top two classes were already close.</source>
        <translation>Ảnh kiểm tra %1. Chữ đậm: nhãn đúng. Màu đỏ: dự đoán sai. Ô có khung là ảnh mà fp32 và int8 dự đoán khác nhau — thường là một trường hợp sát ranh giới, khi hai nhãn đứng đầu vốn đã rất gần nhau.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::PresenterMode</name>
    <message>
        <source>&amp;View on the stage:</source>
        <translation>&amp;Khung trên sân khấu:</translation>
    </message>
    <message>
        <source>The view shown large; a lesson step can change it too</source>
        <translation>Khung được hiển thị lớn; một bước của bài học cũng có thể đổi nó</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::QatView</name>
    <message>
        <source>LSQ</source>
        <translation>LSQ</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Huấn luyện</translation>
    </message>
    <message>
        <source>Save as ONNX…</source>
        <translation>Lưu dạng ONNX…</translation>
    </message>
    <message>
        <source>Weight width. Weights are rounded symmetrically, one scale per output channel (scale = max|w| / (2^(b−1) − 1)). At 4 bits each weight has only 15 possible values.</source>
        <translation>Số bit của trọng số. Trọng số được làm tròn đối xứng, mỗi kênh đầu ra có một hệ số tỉ lệ (scale = max|w| / (2^(b−1) − 1)). Ở 4 bit, mỗi trọng số chỉ có 15 giá trị khả dĩ.</translation>
    </message>
    <message>
        <source>Activation width: the input and every layer output (after its ReLU) are rounded to 2^b levels between a calibrated minimum and maximum. The logits stay in float.</source>
        <translation>Số bit của giá trị kích hoạt: đầu vào và đầu ra của mọi lớp (sau ReLU của lớp đó) được làm tròn về 2^b mức nằm giữa giá trị nhỏ nhất và lớn nhất đã hiệu chỉnh. Các logit vẫn giữ ở dạng số thực.</translation>
    </message>
    <message>
        <source>Passes over the training images. One pass on the MLP already recovers most of what PTQ lost; the test accuracy is measured after each pass.</source>
        <translation>Số lượt duyệt qua các ảnh huấn luyện. Với MLP, chỉ một lượt đã lấy lại được phần lớn những gì PTQ làm mất; độ chính xác kiểm tra được đo sau mỗi lượt.</translation>
    </message>
    <message>
        <source>Adam&apos;s learning rate. Fine-tuning starts from a trained model, so it is small (1e-4): large steps would undo the fp32 training instead of adjusting it to the grid.</source>
        <translation>Tốc độ học của Adam. Tinh chỉnh bắt đầu từ một mô hình đã huấn luyện, nên giá trị này nhỏ (1e-4): các bước lớn sẽ phá hỏng kết quả huấn luyện fp32 thay vì điều chỉnh nó cho khớp với lưới.</translation>
    </message>
    <message>
        <source>How many Fashion-MNIST training images one pass uses (the first N). Fewer = faster, less recovered. The CNN needs ~20× more time per image than the MLP, so it starts with 5000.</source>
        <translation>Số ảnh huấn luyện Fashion-MNIST mà một lượt sử dụng (N ảnh đầu tiên). Ít ảnh hơn = nhanh hơn, nhưng lấy lại được ít hơn. CNN cần thời gian cho mỗi ảnh gấp khoảng 20 lần MLP, nên giá trị ban đầu là 5000.</translation>
    </message>
    <message>
        <source>Learned Step Size Quantization (Esser et al. 2020): the scales themselves become trainable, so training also chooses how wide each grid is. Off: weight scales follow max|w| and activation ranges follow a running min/max (EMA).</source>
        <translation>Lượng hóa với kích thước bước được học (Learned Step Size Quantization, Esser và cộng sự, 2020): bản thân các hệ số tỉ lệ trở thành tham số huấn luyện được, nên quá trình huấn luyện cũng chọn độ rộng của mỗi lưới. Khi tắt: hệ số tỉ lệ của trọng số theo max|w| và khoảng của giá trị kích hoạt theo min/max trượt (EMA).</translation>
    </message>
    <message>
        <source>Fine-tune the model with fake quantization in every forward pass (in the background).</source>
        <translation>Tinh chỉnh mô hình với lượng hóa giả lập trong mọi lượt truyền xuôi (chạy ở chế độ nền).</translation>
    </message>
    <message>
        <source>Write the trained model as ONNX. Its weights are already on the trained grid (every weight = scale × integer), stored as float32, so any ONNX runtime can check the result.</source>
        <translation>Ghi mô hình đã huấn luyện thành tệp ONNX. Trọng số của nó đã nằm trên lưới đã huấn luyện (mỗi trọng số = hệ số tỉ lệ × số nguyên) và được lưu dạng float32, nên bất kỳ ONNX runtime nào cũng có thể kiểm tra kết quả.</translation>
    </message>
    <message>
        <source>W bits</source>
        <translation>Số bit W</translation>
    </message>
    <message>
        <source>A bits</source>
        <translation>Số bit A</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Số epoch</translation>
    </message>
    <message>
        <source>LR</source>
        <translation>Tốc độ học</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Số ảnh</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>mất mát huấn luyện</translation>
    </message>
    <message>
        <source>minibatch</source>
        <translation>minibatch</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>entropy chéo</translation>
    </message>
    <message>
        <source>Training loss (with fake quantization)</source>
        <translation>Mất mát huấn luyện (với lượng hóa giả lập)</translation>
    </message>
    <message>
        <source>Cross-entropy of the training minibatches, computed with the weights and activations rounded to the grid. It falls as the float weights learn to sit where rounding hurts least.</source>
        <translation>Entropy chéo của các minibatch huấn luyện, được tính với trọng số và giá trị kích hoạt đã làm tròn về lưới. Nó giảm dần khi các trọng số số thực học cách nằm ở những chỗ mà phép làm tròn gây hại ít nhất.</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>PTQ</source>
        <translation>PTQ</translation>
    </message>
    <message>
        <source>QAT</source>
        <translation>QAT</translation>
    </message>
    <message>
        <source>test accuracy (%)</source>
        <translation>độ chính xác kiểm tra (%)</translation>
    </message>
    <message>
        <source>Quantized test accuracy</source>
        <translation>Độ chính xác kiểm tra sau lượng hóa</translation>
    </message>
    <message>
        <source>fp32: the original model. PTQ (post-training quantization): the same model rounded to the grid, ranges calibrated on 2048 training images, no training. QAT: fine-tuned with the rounding in the loop, then rounded the same way.</source>
        <translation>fp32: mô hình gốc. PTQ (lượng hóa sau huấn luyện): cùng mô hình đó được làm tròn về lưới, các khoảng được hiệu chỉnh trên 2048 ảnh huấn luyện, không huấn luyện thêm. QAT: được tinh chỉnh với phép làm tròn nằm ngay trong vòng huấn luyện, rồi làm tròn theo cùng cách.</translation>
    </message>
    <message>
        <source>&lt;b&gt;How QAT works.&lt;/b&gt; Every forward pass rounds the weights and activations to the low-bit grid (fake quantization), so the loss feels the rounding error. Rounding has no useful gradient (it is flat almost everywhere), so the backward pass uses the &lt;i&gt;straight-through estimator&lt;/i&gt;: it pretends rounding is the identity (and passes nothing where a value was clipped). The float weights behind the grid keep learning and move to where their rounded values work well — QAT recovers much of the accuracy PTQ loses, at the cost of a training run.</source>
        <translation>&lt;b&gt;QAT hoạt động như thế nào.&lt;/b&gt; Mỗi lượt truyền xuôi làm tròn trọng số và giá trị kích hoạt về lưới ít bit (lượng hóa giả lập), nên hàm mất mát cảm nhận được sai số làm tròn. Phép làm tròn không có gradient hữu ích (nó phẳng gần như ở mọi nơi), nên lượt truyền ngược dùng &lt;i&gt;bộ ước lượng thẳng (straight-through estimator)&lt;/i&gt;: nó giả vờ phép làm tròn là hàm đồng nhất (và không truyền gì qua những chỗ giá trị bị cắt). Các trọng số số thực phía sau lưới tiếp tục học và dịch chuyển tới những chỗ mà giá trị đã làm tròn của chúng hoạt động tốt — QAT lấy lại phần lớn độ chính xác mà PTQ làm mất, với cái giá là một lần huấn luyện.</translation>
    </message>
    <message>
        <source>Save the QAT model</source>
        <translation>Lưu mô hình QAT</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Mô hình ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>Không thể lưu</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Hãy mở một mô hình trước (khung nhìn Các lớp của mô hình).</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Train&lt;/b&gt; to fine-tune %1 with quantization in the loop. Every accuracy is measured on the first 2000 test images.</source>
        <translation>Nhấn &lt;b&gt;Huấn luyện&lt;/b&gt; để tinh chỉnh %1 với lượng hóa nằm ngay trong vòng huấn luyện. Mọi độ chính xác đều được đo trên 2000 ảnh kiểm tra đầu tiên.</translation>
    </message>
    <message>
        <source>QAT won back %1 of the %2 points PTQ lost (%3%).</source>
        <translation>QAT đã lấy lại được %1 trong số %2 điểm mà PTQ làm mất (%3%).</translation>
    </message>
    <message>
        <source>This run did not beat PTQ: try more images or another epoch.</source>
        <translation>Lần chạy này không tốt hơn PTQ: hãy thử với nhiều ảnh hơn hoặc thêm một epoch.</translation>
    </message>
    <message>
        <source>PTQ lost almost nothing here, so there was little to win back.</source>
        <translation>Ở đây PTQ hầu như không làm mất gì, nên không có nhiều để lấy lại.</translation>
    </message>
    <message>
        <source>%1 pts vs fp32</source>
        <translation>%1 điểm so với fp32</translation>
    </message>
    <message>
        <source>%1 fp32</source>
        <translation>%1 fp32</translation>
    </message>
    <message>
        <source>%1 PTQ W%2/A%3</source>
        <translation>%1 PTQ W%2/A%3</translation>
    </message>
    <message>
        <source>%1 QAT W%2/A%3</source>
        <translation>%1 QAT W%2/A%3</translation>
    </message>
    <message>
        <source>Accuracy on the first 2000 test images with the model rounded to the grid: at minibatch 0 it is the PTQ model (rounded without training), then after each epoch, as soon as the epoch ends. Dashed: fp32 (the goal) and PTQ (the starting point).</source>
        <translation>Độ chính xác trên 2000 ảnh kiểm tra đầu tiên với mô hình đã làm tròn về lưới: ở minibatch 0 là mô hình PTQ (làm tròn, chưa huấn luyện), sau đó thêm một điểm ngay khi mỗi epoch kết thúc. Nét đứt: fp32 (mục tiêu) và PTQ (điểm xuất phát).</translation>
    </message>
    <message>
        <source>Training %1 with W%2/A%3 fake quantization, %4 minibatches… (the test accuracy is added after each epoch)</source>
        <translation>Đang huấn luyện %1 với lượng hóa giả lập W%2/A%3, %4 minibatch… (độ chính xác kiểm tra được thêm sau mỗi epoch)</translation>
    </message>
    <message>
        <source>Quantization recipe (PTQ and QAT): %1</source>
        <translation>Công thức lượng hóa (PTQ và QAT): %1</translation>
    </message>
    <message numerus="yes">
        <source>Last run: %n epoch(s) on %2 training images (%3 minibatches) in %4 s; accuracies on the first %5 test images.</source>
        <translation>
            <numerusform>Lần chạy gần nhất: %n epoch trên %2 ảnh huấn luyện (%3 minibatch) trong %4 s; độ chính xác đo trên %5 ảnh kiểm tra đầu tiên.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>quantlab::ui::RequantView</name>
    <message>
        <source>The Linear layer whose output value is followed. Selecting a layer in the layer table selects it here too.</source>
        <translation>Lớp Linear có giá trị đầu ra đang được theo dõi. Chọn một lớp trong bảng các lớp cũng sẽ chọn lớp đó ở đây.</translation>
    </message>
    <message>
        <source>The test image fed through the int8 model (the row of the layer&apos;s output matrix).</source>
        <translation>Ảnh kiểm tra được đưa qua mô hình int8 (hàng của ma trận đầu ra của lớp).</translation>
    </message>
    <message>
        <source>Conv2d: the output position y·width + x, i.e. the row of the im2col matrix — which 3×3 patch of the input the kernel looks at.</source>
        <translation>Conv2d: vị trí đầu ra y·(chiều rộng) + x, tức hàng của ma trận im2col — mảnh 3×3 nào của đầu vào mà kernel đang nhìn vào.</translation>
    </message>
    <message>
        <source>The output channel (column): which weight row and which bias, scale and multiplier are used.</source>
        <translation>Kênh đầu ra (cột): quyết định hàng trọng số nào, cùng độ lệch, hệ số tỉ lệ và hệ số nhân nào được dùng.</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Lớp</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Ảnh</translation>
    </message>
    <message>
        <source>Position (row)</source>
        <translation>Vị trí (hàng)</translation>
    </message>
    <message>
        <source>Output (column)</source>
        <translation>Đầu ra (cột)</translation>
    </message>
    <message>
        <source>This model has no Linear or Conv2d layer to follow.</source>
        <translation>Mô hình này không có lớp Linear hoặc Conv2d nào để theo dõi.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Hãy mở một mô hình trước (khung nhìn Các lớp của mô hình).</translation>
    </message>
    <message>
        <source>The %1×%2 windows of the input channels at output position (y %3, x %4), unrolled in (channel, ky, kx) order: one row of the im2col matrix. %5 positions fall in the padding and hold z&lt;sub&gt;x&lt;/sub&gt; (real 0). Real value ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) with s&lt;sub&gt;x&lt;/sub&gt; = %6.</source>
        <translation>Các cửa sổ %1×%2 của các kênh đầu vào tại vị trí đầu ra (y %3, x %4), được trải phẳng theo thứ tự (kênh, ky, kx): một hàng của ma trận im2col. %5 vị trí rơi vào phần đệm và mang giá trị z&lt;sub&gt;x&lt;/sub&gt; (giá trị thực 0). Giá trị thực ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) với s&lt;sub&gt;x&lt;/sub&gt; = %6.</translation>
    </message>
    <message>
        <source>The previous layer&apos;s int8 output codes; real value ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) with s&lt;sub&gt;x&lt;/sub&gt; = %1.</source>
        <translation>Các mã đầu ra int8 của lớp trước; giá trị thực ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) với s&lt;sub&gt;x&lt;/sub&gt; = %1.</translation>
    </message>
    <message>
        <source>int8 inputs x (test image %1)</source>
        <translation>đầu vào int8 x (ảnh kiểm tra %1)</translation>
    </message>
    <message>
        <source>, zero point z&lt;sub&gt;x&lt;/sub&gt; = %1</source>
        <translation>, điểm không z&lt;sub&gt;x&lt;/sub&gt; = %1</translation>
    </message>
    <message>
        <source>int8 weights w (channel %1)</source>
        <translation>trọng số int8 w (kênh %1)</translation>
    </message>
    <message>
        <source>Symmetric, zero point 0, scale s&lt;sub&gt;w&lt;/sub&gt; = %1 for this output channel.</source>
        <translation>Đối xứng, điểm không bằng 0, hệ số tỉ lệ s&lt;sub&gt;w&lt;/sub&gt; = %1 cho kênh đầu ra này.</translation>
    </message>
    <message>
        <source>Σ x·w over %1 terms</source>
        <translation>Σ x·w trên %1 số hạng</translation>
    </message>
    <message>
        <source>Products of two int8 numbers summed in int32: this is the work the GEMM kernel does.</source>
        <translation>Tích của hai số int8 được cộng dồn trong int32: đây là công việc mà kernel GEMM thực hiện.</translation>
    </message>
    <message>
        <source>zero-point correction −z&lt;sub&gt;x&lt;/sub&gt;·Σw</source>
        <translation>bù điểm không −z&lt;sub&gt;x&lt;/sub&gt;·Σw</translation>
    </message>
    <message>
        <source>Σ(x − z&lt;sub&gt;x&lt;/sub&gt;)·w = Σx·w − z&lt;sub&gt;x&lt;/sub&gt;·Σw; Σw is precomputed once per channel, so the kernel multiplies raw codes.</source>
        <translation>Σ(x − z&lt;sub&gt;x&lt;/sub&gt;)·w = Σx·w − z&lt;sub&gt;x&lt;/sub&gt;·Σw; Σw được tính trước một lần cho mỗi kênh, nên kernel nhân trực tiếp các mã thô.</translation>
    </message>
    <message>
        <source>+ bias (int32)</source>
        <translation>+ độ lệch (int32)</translation>
    </message>
    <message>
        <source>The float bias stored as round(b / (s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;)): already on the accumulator&apos;s scale.</source>
        <translation>Độ lệch số thực được lưu thành round(b / (s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;)): đã ở sẵn theo hệ số tỉ lệ của bộ tích lũy.</translation>
    </message>
    <message>
        <source>= accumulator (from the kernel)</source>
        <translation>= bộ tích lũy (từ kernel)</translation>
    </message>
    <message>
        <source>  ✓ = %1 + %2 + %3</source>
        <translation>  ✓ = %1 + %2 + %3</translation>
    </message>
    <message>
        <source>  ✗ steps 3-5 give %1</source>
        <translation>  ✗ các bước 3-5 cho ra %1</translation>
    </message>
    <message>
        <source>Its real value is s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;·acc: a 32-bit integer on a very fine grid.</source>
        <translation>Giá trị thực của nó là s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;·acc: một số nguyên 32 bit trên một lưới rất mịn.</translation>
    </message>
    <message>
        <source>M = s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt; / s&lt;sub&gt;out&lt;/sub&gt;</source>
        <translation>M = s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt; / s&lt;sub&gt;out&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>Rescales the accumulator to the output&apos;s grid (s&lt;sub&gt;out&lt;/sub&gt; = %1, z&lt;sub&gt;out&lt;/sub&gt; = %2). Computed once, offline, in double.</source>
        <translation>Đổi tỉ lệ bộ tích lũy về lưới của đầu ra (s&lt;sub&gt;out&lt;/sub&gt; = %1, z&lt;sub&gt;out&lt;/sub&gt; = %2). Được tính một lần, từ trước, bằng số double.</translation>
    </message>
    <message>
        <source>M as Q31 multiplier and shift</source>
        <translation>M dưới dạng hệ số nhân Q31 và bước dịch</translation>
    </message>
    <message>
        <source>Integer hardware cannot multiply by 0.0003: M is stored as a 31-bit mantissa in [2^30, 2^31) and a power of two.</source>
        <translation>Phần cứng số nguyên không thể nhân với 0.0003: M được lưu thành một phần định trị 31 bit trong [2^30, 2^31) cùng một lũy thừa của hai.</translation>
    </message>
    <message>
        <source>acc · M in fixed point</source>
        <translation>acc · M ở dạng dấu phẩy tĩnh</translation>
    </message>
    <message>
        <source>High half of the doubled 64-bit product (round half up), then a rounding right shift (ties away from zero).</source>
        <translation>Nửa cao của tích 64 bit đã nhân đôi (làm tròn nửa lên), rồi một phép dịch phải có làm tròn (trường hợp hòa thì làm tròn ra xa số 0).</translation>
    </message>
    <message>
        <source>+ z&lt;sub&gt;out&lt;/sub&gt;, clamp to [%1, %2]</source>
        <translation>+ z&lt;sub&gt;out&lt;/sub&gt;, kẹp vào [%1, %2]</translation>
    </message>
    <message>
        <source>The lower clamp %1 is the output zero point, i.e. real 0: that is the fused ReLU, and it costs nothing extra.</source>
        <translation>Cận dưới của phép kẹp, %1, là điểm không của đầu ra, tức giá trị thực 0: đó chính là ReLU đã được hợp nhất, và nó không tốn thêm chi phí nào.</translation>
    </message>
    <message>
        <source>Saturate to the int8 range.</source>
        <translation>Bão hòa về khoảng của int8.</translation>
    </message>
    <message>
        <source>int8 output (from the kernel)</source>
        <translation>đầu ra int8 (từ kernel)</translation>
    </message>
    <message>
        <source>  ✓ requantize() agrees</source>
        <translation>  ✓ requantize() cho cùng kết quả</translation>
    </message>
    <message>
        <source>  ✗ mismatch</source>
        <translation>  ✗ không khớp</translation>
    </message>
    <message>
        <source>Dequantized: s&lt;sub&gt;out&lt;/sub&gt;·(q − z&lt;sub&gt;out&lt;/sub&gt;) = %1.</source>
        <translation>Giải lượng hóa: s&lt;sub&gt;out&lt;/sub&gt;·(q − z&lt;sub&gt;out&lt;/sub&gt;) = %1.</translation>
    </message>
    <message>
        <source>No int8 model: %1</source>
        <translation>Không có mô hình int8: %1</translation>
    </message>
    <message>
        <source>%1 has no weights: int8 inference looks each output up in a table of 256 codes, one per input code, computed once from the input scale %2 and zero point %3 and the output scale %4 and zero point %5.</source>
        <translation>%1 không có trọng số: suy luận int8 tra mỗi đầu ra trong một bảng 256 mã, mỗi mã đầu vào một mục, được tính một lần từ thang đo đầu vào %2 với điểm không %3 và thang đo đầu ra %4 với điểm không %5.</translation>
    </message>
    <message>
        <source>Its output range is known in advance, so the output scale and zero point are fixed rather than calibrated.</source>
        <translation>Khoảng giá trị đầu ra của nó đã biết trước, nên thang đo và điểm không đầu ra được cố định thay vì hiệu chuẩn.</translation>
    </message>
    <message>
        <source>input code</source>
        <translation>mã đầu vào</translation>
    </message>
    <message>
        <source>real input x</source>
        <translation>đầu vào thực x</translation>
    </message>
    <message>
        <source>f / s&lt;sub&gt;out&lt;/sub&gt; + z&lt;sub&gt;out&lt;/sub&gt;</source>
        <translation>f / s&lt;sub&gt;out&lt;/sub&gt; + z&lt;sub&gt;out&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>output code</source>
        <translation>mã đầu ra</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::SensitivityView</name>
    <message>
        <source>Analyze</source>
        <translation>Phân tích</translation>
    </message>
    <message>
        <source>Width of the quantized layers (weights symmetric per channel, outputs asymmetric per tensor). At 8 bits the MLP hardly moves; 4 bits shows which layers are fragile.</source>
        <translation>Số bit của các lớp được lượng hóa (trọng số đối xứng theo kênh, đầu ra bất đối xứng theo tensor). Ở 8 bit, MLP gần như không thay đổi; 4 bit cho thấy những lớp nào dễ tổn thương.</translation>
    </message>
    <message>
        <source>propagated</source>
        <translation>lan truyền</translation>
    </message>
    <message>
        <source>isolated</source>
        <translation>cô lập</translation>
    </message>
    <message>
        <source>propagated: quantize only this layer and measure the SQNR of the model OUTPUT — its error carried through the rest of the network.
isolated: feed the layer the exact fp32 input and measure the SQNR of its own output — the layer&apos;s error alone.</source>
        <translation>lan truyền: chỉ lượng hóa lớp này và đo SQNR ở ĐẦU RA của mô hình — sai số của lớp được mang qua phần còn lại của mạng.
cô lập: đưa cho lớp đầu vào fp32 chính xác và đo SQNR ở đầu ra của chính nó — chỉ riêng sai số của lớp.</translation>
    </message>
    <message>
        <source>Test images used for the measurements (fewer = faster).</source>
        <translation>Số ảnh kiểm tra dùng cho các phép đo (càng ít càng nhanh).</translation>
    </message>
    <message>
        <source> pts</source>
        <translation> điểm</translation>
    </message>
    <message>
        <source>Accuracy drop you accept, in percentage points. The mixed-precision search keeps layers in fp32, one at a time, until the drop fits. 0 = no proposal.</source>
        <translation>Mức giảm độ chính xác mà bạn chấp nhận, tính bằng điểm phần trăm. Quá trình tìm độ chính xác hỗn hợp lần lượt giữ từng lớp ở fp32 cho đến khi mức giảm nằm trong giới hạn. 0 = không đề xuất.</translation>
    </message>
    <message>
        <source>Run the analysis in the background (the model is run 2 × layers + 1 times).</source>
        <translation>Chạy phân tích ở chế độ nền (mô hình được chạy 2 × số lớp + 1 lần).</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>Số bit</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Số ảnh</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Ngân sách</translation>
    </message>
    <message>
        <source>One bar per Linear/Conv2d layer, most damaging at the top. SQNR (signal-to-quantization-noise ratio, dB): lower means more damage; each bit is worth about 6 dB.
&apos;alone&apos;: accuracy cost of quantizing only this layer. &apos;kept fp32&apos;: what leaving only this layer in fp32 gives back compared with quantizing all.</source>
        <translation>Mỗi lớp Linear/Conv2d một thanh, lớp gây hại nhiều nhất ở trên cùng. SQNR (tỉ số tín hiệu trên nhiễu lượng hóa, dB): càng thấp thì thiệt hại càng lớn; mỗi bit đáng giá khoảng 6 dB.
&apos;riêng lớp&apos;: độ chính xác mất đi khi chỉ lượng hóa lớp này. &apos;giữ fp32&apos;: phần độ chính xác lấy lại được khi chỉ để riêng lớp này ở fp32, so với khi lượng hóa tất cả.</translation>
    </message>
    <message>
        <source>Greedy mixed precision: start with every layer at the chosen width and keep the layer that buys back the most accuracy per byte in fp32 until the validation accuracy (1000 training images the model never calibrated on) is within the budget; then checked on the test images.</source>
        <translation>Độ chính xác hỗn hợp theo kiểu tham lam: bắt đầu với mọi lớp ở số bit đã chọn, rồi lần lượt giữ ở fp32 lớp lấy lại được nhiều độ chính xác nhất trên mỗi byte, cho đến khi độ chính xác kiểm định (trên 1000 ảnh huấn luyện mà mô hình chưa từng dùng để hiệu chỉnh) nằm trong ngân sách; sau đó kiểm tra lại trên các ảnh kiểm tra.</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Analyze&lt;/b&gt; to rank the layers.</source>
        <translation>Nhấn &lt;b&gt;Phân tích&lt;/b&gt; để xếp hạng các lớp.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Hãy mở một mô hình trước (khung nhìn Các lớp của mô hình).</translation>
    </message>
    <message>
        <source>int%1 on %2 test images: fp32 accuracy %3, all layers quantized %4 (%5 points).</source>
        <translation>int%1 trên %2 ảnh kiểm tra: độ chính xác fp32 %3, khi lượng hóa mọi lớp %4 (%5 điểm).</translation>
    </message>
    <message>
        <source>isolated SQNR</source>
        <translation>SQNR cô lập</translation>
    </message>
    <message>
        <source>propagated SQNR</source>
        <translation>SQNR lan truyền</translation>
    </message>
    <message>
        <source>%1  (alone %2 pts, kept fp32 %3 pts)</source>
        <translation>%1  (riêng lớp %2 điểm, giữ fp32 %3 điểm)</translation>
    </message>
    <message>
        <source>SQNR (dB) — shorter bar = more damage</source>
        <translation>SQNR (dB) — thanh càng ngắn = thiệt hại càng lớn</translation>
    </message>
    <message>
        <source>Most damaging first (%1)</source>
        <translation>Gây hại nhiều nhất trước (%1)</translation>
    </message>
    <message>
        <source>No mixed-precision proposal (budget 0).</source>
        <translation>Không có đề xuất độ chính xác hỗn hợp (ngân sách 0).</translation>
    </message>
    <message>
        <source>&lt;b&gt;Mixed precision within %1 points:&lt;/b&gt; %2 — test accuracy %3 (all int%4: %5, fp32: %6), size %7 vs %8 in fp32%9</source>
        <translation>&lt;b&gt;Độ chính xác hỗn hợp trong phạm vi %1 điểm:&lt;/b&gt; %2 — độ chính xác kiểm tra %3 (toàn bộ int%4: %5, fp32: %6), kích thước %7 so với %8 ở fp32%9</translation>
    </message>
    <message>
        <source> — the budget is NOT met on the test images</source>
        <translation> — KHÔNG đạt ngân sách trên các ảnh kiểm tra</translation>
    </message>
    <message>
        <source>Apply proposal</source>
        <translation>Áp dụng đề xuất</translation>
    </message>
    <message>
        <source>Clear plan</source>
        <translation>Xóa phương án</translation>
    </message>
    <message>
        <source>Make this proposal the model&apos;s precision plan: the layer table shows each layer&apos;s width, and the plan is evaluated on all 10000 test images. Simulated with fake quantization (float math on rounded values): the int8 engine runs uniform int8 only.</source>
        <translation>Dùng đề xuất này làm phương án độ chính xác của mô hình: bảng các lớp hiển thị số bit của từng lớp, và phương án được đánh giá trên toàn bộ 10000 ảnh kiểm tra. Được mô phỏng bằng lượng hóa giả lập (tính toán số thực trên các giá trị đã làm tròn): bộ máy int8 chỉ chạy int8 đồng nhất.</translation>
    </message>
    <message>
        <source>Forget the applied plan (back to the uniform int8 model).</source>
        <translation>Bỏ phương án đang áp dụng (quay về mô hình int8 đồng nhất).</translation>
    </message>
    <message>
        <source>Accuracy of the applied plan on the whole test set, and its size: quantized weights take bits/8 bytes each plus one 4-byte scale per output channel; fp32 layers 4 bytes per parameter.</source>
        <translation>Độ chính xác của phương án đang áp dụng trên toàn bộ tập kiểm tra, và kích thước của nó: mỗi trọng số đã lượng hóa chiếm (số bit)/8 byte, cộng thêm một hệ số tỉ lệ 4 byte cho mỗi kênh đầu ra; các lớp fp32 chiếm 4 byte cho mỗi tham số.</translation>
    </message>
    <message>
        <source>No plan applied: the model runs as uniform int8.</source>
        <translation>Chưa áp dụng phương án nào: mô hình chạy ở dạng int8 đồng nhất.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Applied:&lt;/b&gt; %1 — evaluating on the test set…</source>
        <translation>&lt;b&gt;Đã áp dụng:&lt;/b&gt; %1 — đang đánh giá trên tập kiểm tra…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Applied:&lt;/b&gt; %1 — accuracy %2 on %3 test images (fp32 %4, %5 pts); size %6 vs %7 in fp32 (%8× smaller). &lt;i&gt;Simulated with fake quantization: the int8 engine runs uniform int8 only.&lt;/i&gt;</source>
        <translation>&lt;b&gt;Đã áp dụng:&lt;/b&gt; %1 — độ chính xác %2 trên %3 ảnh kiểm tra (fp32 %4, %5 điểm); kích thước %6 so với %7 ở fp32 (nhỏ hơn %8×). &lt;i&gt;Được mô phỏng bằng lượng hóa giả lập: bộ máy int8 chỉ chạy int8 đồng nhất.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Quantization recipe: %1</source>
        <translation>Công thức lượng hóa: %1</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::Session</name>
    <message>
        <source>built-in sample: Laplace weights with 4 outliers</source>
        <translation>mẫu có sẵn: trọng số Laplace với 4 giá trị ngoại lai</translation>
    </message>
    <message>
        <source>Calibration: %1</source>
        <translation>Hiệu chỉnh: %1</translation>
    </message>
    <message>
        <source>Clipping range</source>
        <translation>Khoảng cắt</translation>
    </message>
    <message>
        <source>Automatic range</source>
        <translation>Khoảng tự động</translation>
    </message>
    <message>
        <source>not enough memory to quantize this tensor (%1 values)</source>
        <translation>không đủ bộ nhớ để lượng hóa tensor này (%1 giá trị)</translation>
    </message>
    <message>
        <source>this tensor is read from its file block by block, which allows per-tensor quantization only</source>
        <translation>tensor này được đọc từ tệp theo từng khối, nên chỉ cho phép lượng tử hóa theo tensor</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::TensorLoader</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>QuantLab</source>
        <translation>QuantLab</translation>
    </message>
    <message>
        <source>%1: not enough memory to load this tensor</source>
        <translation>%1: không đủ bộ nhớ để nạp tensor này</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Đang nạp %1…</translation>
    </message>
    <message>
        <source>Generator: %1</source>
        <translation>Bộ sinh dữ liệu: %1</translation>
    </message>
    <message>
        <source>Generator: not enough memory for this shape</source>
        <translation>Bộ sinh dữ liệu: không đủ bộ nhớ cho dạng tensor này</translation>
    </message>
    <message>
        <source>generated: %1 %2, seed %3</source>
        <translation>đã sinh: %1 %2, seed %3</translation>
    </message>
    <message>
        <source>Generating tensor…</source>
        <translation>Đang sinh tensor…</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::TensorPickerDialog</name>
    <message>
        <source>Choose a tensor — %1</source>
        <translation>Chọn một tensor — %1</translation>
    </message>
    <message>
        <source>%1 holds %2 tensors. Pick the one to quantize (double-click opens it):</source>
        <translation>%1 chứa %2 tensor. Hãy chọn tensor cần lượng hóa (nhấp đúp để mở):</translation>
    </message>
    <message>
        <source>Filter by name (e.g. weight, conv1, attn)</source>
        <translation>Lọc theo tên (ví dụ weight, conv1, attn)</translation>
    </message>
    <message>
        <source>Type part of a tensor name to narrow the list.</source>
        <translation>Nhập một phần tên tensor để thu hẹp danh sách.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Dạng</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::UpdatingBadge</name>
    <message>
        <source>Updating for %1…</source>
        <translation>Đang cập nhật cho %1…</translation>
    </message>
    <message>
        <source>Updating for %1… %2%</source>
        <translation>Đang cập nhật cho %1… %2%</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::Workspaces</name>
    <message>
        <source>%1 workspace (%2)</source>
        <translation>Không gian làm việc %1 (%2)</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>Bài học</translation>
    </message>
</context>
</TS>
