import { DownloadOutlined } from '@ant-design/icons';
import type { Resource } from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Drawer,
  Form,
  type FormInstance,
  Input,
  Popconfirm,
  Space,
  Table,
  type TableProps,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { del, errorText, patch, post, query, showFieldErrors } from '../../lib/api';
import { usePagedList } from '../../lib/hooks';

interface Versioned {
  id: string;
  version: number;
}

/**
 * A master-data page: searchable, paged table; create and edit in a drawer with the server's
 * field errors under the inputs; delete; CSV export. What each record looks like is the caller's.
 */
export function RecordPage<T extends Versioned>(props: {
  title: string;
  path: string;
  resource: Resource;
  columns: ColumnsType<T>;
  form: (form: FormInstance, editing: T | 'new') => ReactNode;
  filters?: Record<string, unknown>;
  toolbar?: ReactNode;
  toForm?: (row: T) => Record<string, unknown>;
  /** The request body from the form's values; on an edit, only fields the update accepts (unknown ones are a 400). */
  fromForm?: (values: Record<string, unknown>, isNew: boolean) => Record<string, unknown>;
  testId?: string;
  /** Rows chosen for a bulk action (e.g. printing labels). */
  rowSelection?: TableProps<T>['rowSelection'];
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = usePagedList<T>(props.path, props.filters);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [form] = Form.useForm();
  const fromForm = props.fromForm ?? ((v) => v);

  const open = (row: T | 'new') => {
    form.resetFields();
    if (row !== 'new') form.setFieldsValue(props.toForm ? props.toForm(row) : row);
    setEditing(row);
  };
  const save = async () => {
    const values = fromForm(await form.validateFields(), editing === 'new');
    try {
      if (editing === 'new') await post(props.path, values);
      else if (editing) await patch(`${props.path}/${editing.id}`, { ...values, version: editing.version });
      message.success(t('common.saved'));
      setEditing(null);
      void client.invalidateQueries({ queryKey: [props.path] });
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  const remove = async (row: T) => {
    try {
      await del(`${props.path}/${row.id}`);
      message.success(t('common.deleted'));
      void client.invalidateQueries({ queryKey: [props.path] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const actions: ColumnsType<T> =
    can(props.resource, 'update') || can(props.resource, 'delete')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 150,
            render: (_, row) => (
              <Space>
                {can(props.resource, 'update') && (
                  <Button size="small" onClick={() => open(row)}>
                    {t('common.edit')}
                  </Button>
                )}
                {can(props.resource, 'delete') && (
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(row)}>
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]
      : [];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={props.testId}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {props.title}
        </Typography.Title>
        <Space wrap>
          {props.toolbar}
          <Input.Search placeholder={t('common.search')} onSearch={list.search} allowClear style={{ width: 220 }} />
          {can(props.resource, 'export') && (
            <Button icon={<DownloadOutlined />} href={`/api/v1${props.path}/export.csv${query(props.filters ?? {})}`}>
              {t('common.export')}
            </Button>
          )}
          {can(props.resource, 'create') && (
            <Button type="primary" onClick={() => open('new')}>
              {t('common.create')}
            </Button>
          )}
        </Space>
      </Space>
      <Table<T>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        columns={[...props.columns, ...actions]}
        rowSelection={props.rowSelection}
        scroll={{ x: 900 }}
      />
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={`${editing === 'new' ? t('common.create') : t('common.edit')} · ${props.title}`}
        width="min(460px, 100vw)"
        destroyOnHidden
        extra={
          <Button type="primary" onClick={save} data-testid="save">
            {t('common.save')}
          </Button>
        }
      >
        <Form form={form} layout="vertical">
          {editing !== null && props.form(form, editing)}
        </Form>
      </Drawer>
    </Space>
  );
}
